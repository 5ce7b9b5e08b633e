/**
 * `vigil sim` on bad input: each mistake ends with a code a script can match, a message a person
 * can act on and a non-zero exit, without touching Vigil where the input alone is wrong.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { EXIT_OK, EXIT_VIGIL_ERROR, runSimCli } from './cli.js';
import { SIMULATOR_PERMISSIONS } from './live/session.js';
import { SCENARIOS } from './scenarios/library.js';
import { startLiveVigil, type LiveVigil } from './scenarios/live-vigil.js';

const UNKNOWN_TOKEN = `vgl_${'A'.repeat(43)}`;

async function sim(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runSimCli(args, {
    env,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    waitForStop: () => new Promise(() => undefined),
  });
  return { code, stdout, stderr };
}

/** A port nothing listens on, on a development machine or in CI (and one fetch does not refuse to try). */
const NOT_RUNNING = 'http://127.0.0.1:2';

describe('vigil sim without Vigil', () => {
  it('lists every scenario with the alarms it should raise', async () => {
    const { code, stdout } = await sim(['list']);
    assert.equal(code, EXIT_OK);
    for (const s of SCENARIOS) assert.match(stdout, new RegExp(`^${s.name} +${s.title}\\n +alarms: ${s.declares.alarms.join(', ')};`, 'm'));
  });

  it('prints the permissions a token needs, as JSON for scripts', async () => {
    const { code, stdout } = await sim(['permissions', '--json']);
    assert.equal(code, EXIT_OK);
    assert.deepEqual(JSON.parse(stdout), [...SIMULATOR_PERMISSIONS]);
  });

  it('refuses an unknown scenario and lists the valid ones', async () => {
    const { code, stderr } = await sim(['scenario', 'forced-window', '--token', UNKNOWN_TOKEN]);
    assert.equal(code, EXIT_VIGIL_ERROR);
    assert.match(stderr, /^error simulator\.unknown_scenario: No scenario "forced-window"\. Scenarios: /m);
    for (const s of SCENARIOS) assert.ok(stderr.includes(s.name), s.name);
  });

  it('refuses a preset or seed that makes no sense, and a missing token', async () => {
    assert.match(
      (await sim(['run', '--preset', 'castle', '--token', UNKNOWN_TOKEN])).stderr,
      /^error simulator\.unknown_preset: .*valid presets: clinic, community, academic/m,
    );
    assert.match((await sim(['run', '--seed', 'twelve', '--token', UNKNOWN_TOKEN])).stderr, /^error simulator\.invalid_seed: /m);
    assert.match((await sim(['run', '--seed', '4294967296', '--token', UNKNOWN_TOKEN])).stderr, /^error simulator\.invalid_seed: /m);
    const missing = await sim(['run']);
    assert.equal(missing.code, EXIT_VIGIL_ERROR);
    assert.match(missing.stderr, /^error simulator\.invalid_option: An API token is needed/m);
  });

  it('refuses an acceleration below real time', async () => {
    const { code, stderr } = await sim(['run', '--accelerate', '0.5', '--token', UNKNOWN_TOKEN]);
    assert.notEqual(code, EXIT_OK);
    assert.match(stderr, /--accelerate must be a number from 1 to 3600/);
  });

  it('says Vigil is not running, at once', async () => {
    const url = NOT_RUNNING;
    const { code, stderr } = await sim(['scenario', 'propped-door', '--url', url, '--token', UNKNOWN_TOKEN]);
    assert.equal(code, EXIT_VIGIL_ERROR);
    assert.match(
      stderr,
      new RegExp(`^error simulator\\.vigil_unreachable: Vigil at ${url.replace(/\./g, '\\.')} cannot be reached \\(ECONNREFUSED\\)`, 'm'),
    );
  });
});

describe('vigil sim against a Vigil that says no', () => {
  let vigil: LiveVigil;
  before(async () => {
    vigil = await startLiveVigil();
  });
  after(async () => {
    await vigil.close();
  });

  it('reports a refused token', async () => {
    const { code, stderr } = await sim(['run', '--url', vigil.url, '--preset', 'clinic'], { VIGIL_SIM_TOKEN: UNKNOWN_TOKEN });
    assert.equal(code, EXIT_VIGIL_ERROR);
    assert.match(stderr, /^error simulator\.credentials_refused: Vigil at .* refused the API token/m);
  });

  it('names the permissions a token lacks before doing anything', async () => {
    const narrow = await vigil.issueToken(SIMULATOR_PERMISSIONS.filter((p) => p !== 'journal.read' && p !== 'emergency.start'));
    const { code, stderr } = await sim(['scenario', 'code-pink-drill', '--url', vigil.url, '--token', narrow, '--preset', 'clinic']);
    assert.equal(code, EXIT_VIGIL_ERROR);
    assert.match(stderr, /^error simulator\.permissions_missing: The API token lacks emergency\.start, journal\.read$/m);
  });
});
