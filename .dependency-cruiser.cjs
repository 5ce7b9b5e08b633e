/**
 * Architecture rules as machine checks (see ARCHITECTURE.md "Boundaries"):
 * - no import cycles, type-only imports included;
 * - a module is entered only through its index.ts (storage/ may read tables.ts and migrations.ts);
 * - nothing imports the API or the CLI except the composition root and the CLI itself;
 * - domain modules never import HTTP frameworks;
 * - protocol and core packages import no domain or server code.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'module-internals',
      comment: 'Import another module only through its index.ts',
      severity: 'error',
      from: {
        path: '^packages/server/src/(?!modules/)|^packages/server/src/modules/([^/]+)/',
        pathNot: '^packages/server/src/storage/(schema|migrations)\\.ts$',
      },
      to: { path: '^packages/server/src/modules/([^/]+)/(?!index\\.ts$)', pathNot: '^packages/server/src/modules/$1/' },
    },
    {
      name: 'storage-reads-only-tables-and-migrations',
      severity: 'error',
      from: { path: '^packages/server/src/storage/(schema|migrations)\\.ts$' },
      to: { path: '^packages/server/src/modules/[^/]+/(?!(tables|migrations)\\.ts$)' },
    },
    {
      name: 'api-only-from-root',
      severity: 'error',
      from: { path: '^packages/server/src/(?!api/|app\\.ts$|cli/)' },
      to: { path: '^packages/server/src/(api|cli)/' },
    },
    {
      name: 'domain-knows-no-http',
      severity: 'error',
      from: { path: '^packages/(server/src/modules|core|osdp|edge)/' },
      to: { path: 'node_modules/(fastify|@fastify/|light-my-request)' },
    },
    {
      name: 'core-and-protocols-are-standalone',
      severity: 'error',
      from: { path: '^packages/(core|osdp)/' },
      to: { path: '^packages/(server|edge|web|simulator)/' },
    },
    {
      name: 'console-talks-only-http',
      comment: 'The browser bundle reaches the platform through the API alone; it must not pull in Node code.',
      severity: 'error',
      from: { path: '^packages/web/src/' },
      to: { path: '^packages/(server|edge|osdp|core|simulator)/' },
    },
    {
      name: 'simulator-uses-public-api',
      comment: 'The simulator drives Vigil over HTTP, MQTT and OSDP; only its tests start (and read) a server',
      severity: 'error',
      from: { path: '^packages/simulator/', pathNot: '\\.test\\.ts$|^packages/simulator/src/scenarios/live-vigil\\.ts$' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'osdp-has-no-domain',
      severity: 'error',
      from: { path: '^packages/osdp/' },
      to: { path: '^packages/core/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: true,
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
