/**
 * The live WebSocket through the real app on a real socket: refused without credentials, opened
 * with the session cookie or a bearer token, and carrying each alarm only to operators who may
 * handle alarms on its site; a revoked session is disconnected. Every message sent matches the
 * schemas the OpenAPI document publishes for the stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Compile } from 'typebox/compile';
import { WebSocket } from 'ws';
import { doorContactOpened } from '../adapters/mqtt/index.js';
import { LiveServerMessageSchema } from './live-messages.js';
import { createSignedInOperator, createSite, startHarness, type Harness, type TestOperator } from './test-harness.js';

interface Message {
  kind: string;
  type?: string;
  alarm?: { id: string; title: string };
  [key: string]: unknown;
}

function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; messages: Message[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: Message[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Message));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('live stream', () => {
  let h: Harness;
  let url: string;
  let siteA: string;
  let siteB: string;
  let onA: TestOperator;
  let onB: TestOperator;

  before(async () => {
    h = await startHarness({ settings: { http: { port: 0 } } });
    url = `${(await h.app.start()).replace(/^http/, 'ws')}/api/live`;
    siteA = await createSite(h, 'Live A');
    siteB = await createSite(h, 'Live B');
    onA = await createSignedInOperator(h, 'live-a', [{ role: 'operator', site: siteA }]);
    onB = await createSignedInOperator(h, 'live-b', [{ role: 'operator', site: siteB }]);
  });
  after(async () => {
    await h.close();
  });

  it('refuses a connection without credentials', async () => {
    await assert.rejects(connect(url, {}), /HTTP 401/);
  });

  it('sends an alarm only to operators of its site', async () => {
    const a = await connect(url, { cookie: onA.cookie });
    const b = await connect(url, { cookie: onB.cookie });
    await until(() => a.messages.some((m) => m.kind === 'hello') && b.messages.some((m) => m.kind === 'hello'), 'hello');
    const { alarm } = await h.app.alarms.alarms.raise({
      siteId: siteA,
      type: 'panic',
      priority: 1,
      title: 'Panic, ED bay 3',
      dedupeKey: 'live-1',
      source: 'rule:test',
    });
    await until(() => a.messages.some((m) => m.kind === 'alarm'), 'the alarm on site A’s stream');
    const got = a.messages.find((m) => m.kind === 'alarm')!;
    assert.equal(got.type, 'alarm.raised');
    assert.equal(got.alarm?.id, alarm.id);
    await h.app.alarms.alarms.raise({
      siteId: siteB,
      type: 'panic',
      priority: 1,
      title: 'Panic on B',
      dedupeKey: 'live-2',
      source: 'rule:test',
    });
    await until(() => b.messages.some((m) => m.kind === 'alarm'), 'the alarm on site B’s stream');
    assert.equal(b.messages.filter((m) => m.kind === 'alarm').length, 1, 'B never saw A’s alarm');
    assert.equal(a.messages.filter((m) => m.kind === 'alarm').length, 1, 'A never saw B’s alarm');
    a.ws.close();
    b.ws.close();
  });

  it('accepts a bearer token and narrows the stream on request', async () => {
    const issued = await h.app.api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: onA.cookie },
      payload: { name: 'console wall', permissions: ['facility.read', 'alarms.handle'], sites: [siteA] },
    });
    assert.equal(issued.statusCode, 201, issued.body);
    const token = (JSON.parse(issued.body) as { secret: string }).secret;
    const c = await connect(url, { authorization: `Bearer ${token}` });
    c.ws.send(JSON.stringify({ subscribe: ['emergency'] }));
    await until(() => c.messages.some((m) => m.kind === 'subscribed'), 'subscription acknowledged');
    await h.app.alarms.alarms.raise({
      siteId: siteA,
      type: 'panic',
      priority: 2,
      title: 'Not wanted',
      dedupeKey: 'live-3',
      source: 'rule:test',
    });
    c.ws.send(JSON.stringify({ subscribe: ['alarms'] }));
    await until(() => c.messages.filter((m) => m.kind === 'subscribed').length === 2, 'second subscription');
    await h.app.alarms.alarms.raise({
      siteId: siteA,
      type: 'panic',
      priority: 2,
      title: 'Wanted',
      dedupeKey: 'live-4',
      source: 'rule:test',
    });
    await until(() => c.messages.some((m) => m.kind === 'alarm'), 'an alarm after subscribing');
    assert.deepEqual(
      c.messages.filter((m) => m.kind === 'alarm').map((m) => m.alarm?.title),
      ['Wanted'],
    );
    c.ws.close();
  });

  it('disconnects a stream whose session was signed out', async () => {
    const op = await createSignedInOperator(h, 'live-c', [{ role: 'operator', site: siteA }]);
    const c = await connect(url, { cookie: op.cookie });
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    const out = await h.app.api.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: op.cookie } });
    assert.ok(out.statusCode < 300, out.body);
    // The hub re-checks credentials periodically; run that check now.
    await h.app.live.reauthenticate();
    assert.equal(await closed, 4401);
  });

  it('sends only messages of the documented shapes, and answers a plain GET with request.invalid', async () => {
    const plain = await h.app.api.inject({ method: 'GET', url: '/api/live', headers: { cookie: onA.cookie } });
    assert.equal(plain.statusCode, 400);
    assert.equal((JSON.parse(plain.body) as { code: string }).code, 'request.invalid');

    const c = await connect(url, { cookie: onA.cookie });
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ subscribe: ['everything'] }));
    c.ws.send(JSON.stringify({ subscribe: ['alarms', 'incidents', 'emergency', 'doors', 'events'], sites: [siteA] }));
    await until(() => c.messages.some((m) => m.kind === 'subscribed'), 'subscription acknowledged');
    await h.app.alarms.alarms.raise({
      siteId: siteA,
      type: 'panic',
      priority: 1,
      title: 'Panic ED',
      dedupeKey: 'live-5',
      source: 'rule:test',
    });
    await h.app.intake.submit(doorContactOpened.draft({ site: siteA, door: 'door-ed-1', source: 'device:DC-ED-1' }, {}));
    const kinds = ['hello', 'error', 'subscribed', 'alarm', 'door', 'event'];
    await until(() => kinds.every((k) => c.messages.some((m) => m.kind === k)), 'a message of each kind');
    const documented = Compile(LiveServerMessageSchema);
    for (const message of c.messages) {
      assert.ok(documented.Check(message), `${JSON.stringify(message)}: ${JSON.stringify([...documented.Errors(message)].slice(0, 3))}`);
    }
    c.ws.close();
  });
});
