/**
 * Notifications on both databases: signed webhooks a receiver can verify, retries with a receipt
 * at the end, a hanging target that blocks nothing else, e-mail through a local SMTP server, and
 * alarms escalating along an on-call chain.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { eachDatabase } from '../../../storage/testing.js';
import { seedHospital, startStack, type Hospital, type Stack } from '../testing.js';
import { memberAt } from './oncall.js';

const OP = 'operator:0190c6a0-0000-7000-8000-0000000000f1';

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A webhook receiver: answers with the status `answer` gives, or never when it returns null. */
async function receiver(answer: () => number | null): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      const status = answer();
      if (status === null) hanging.push(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function verify(secret: string, r: Received): boolean {
  const expected = `v1=${createHmac('sha256', secret)
    .update(`${String(r.headers['x-vigil-timestamp'])}.${r.body}`)
    .digest('hex')}`;
  const got = String(r.headers['x-vigil-signature'] ?? '');
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('on-call rotation', () => {
  it('names the member on shift and the ones after', () => {
    const schedule = { members: [{ name: 'Ana' }, { name: 'Ben' }, { name: 'Cy' }], startsAt: '2026-03-02T07:00:00.000Z', shiftHours: 12 };
    assert.equal(memberAt(schedule, new Date('2026-03-02T08:00:00Z'))?.name, 'Ana');
    assert.equal(memberAt(schedule, new Date('2026-03-02T20:00:00Z'))?.name, 'Ben');
    assert.equal(memberAt(schedule, new Date('2026-03-02T20:00:00Z'), 1)?.name, 'Cy');
    assert.equal(memberAt(schedule, new Date('2026-03-04T08:00:00Z'), 2)?.name, 'Ana');
    assert.equal(memberAt(schedule, new Date('2026-03-01T20:00:00Z'))?.name, 'Cy', 'before the start the rotation runs backwards');
  });
});

eachDatabase('notifications', (t) => {
  let s: Stack;
  let h: Hospital;
  const mails: { to: string; text: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
      stream.on('end', () => {
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address, text });
        done();
      });
    },
  });
  before(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    s = await startStack(t().handle.db, { smtpUrl: `smtp://127.0.0.1:${port}` });
    h = await seedHospital(s.facility);
  });
  after(async () => {
    await s.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('signs webhooks so the receiver can verify them, and journals the receipt', async () => {
    const target = await receiver(() => 204);
    try {
      const { channel, secret } = await s.automation.notifications.channels.create(OP, {
        siteId: h.site,
        name: 'SOC hook',
        kind: 'webhook',
        url: target.url,
      });
      assert.ok(secret && secret.length >= 32, 'a secret was generated and shown once');
      assert.equal(JSON.stringify(channel).includes(secret), false, 'the channel never shows its secret');
      const id = await s.automation.notifications.deliveries.enqueue({
        channelId: channel.id,
        siteId: h.site,
        dedupeKey: 'hook-1',
        subject: 'Test',
        payload: { hello: 'world' },
      });
      const again = await s.automation.notifications.deliveries.enqueue({
        channelId: channel.id,
        siteId: h.site,
        dedupeKey: 'hook-1',
        subject: 'Test',
        payload: { hello: 'world' },
      });
      assert.equal(again, id, 'the same key is queued once');
      await until(async () => (await s.automation.notifications.deliveries.get(id!)).state === 'delivered', 'delivered');
      assert.equal(target.received.length, 1);
      assert.equal(verify(secret, target.received[0]!), true);
      assert.equal(verify('another-secret-entirely-wrong', target.received[0]!), false);
      assert.deepEqual((JSON.parse(target.received[0]!.body) as { payload: unknown }).payload, { hello: 'world' });
      await until(
        async () =>
          (await s.db.selectFrom('journal_events').select('data').where('type', '=', 'notification.delivered').execute()).some((e) =>
            e.data.includes(id!),
          ),
        'the receipt journaled',
      );
    } finally {
      await target.close();
    }
  });

  it('retries a failing target and records the failure after the last attempt', async () => {
    const target = await receiver(() => 503);
    try {
      const { channel } = await s.automation.notifications.channels.create(OP, {
        siteId: h.site,
        name: 'Flaky',
        kind: 'webhook',
        url: target.url,
        secret: 'a-shared-secret-of-enough-length',
      });
      const id = await s.automation.notifications.deliveries.enqueue({
        channelId: channel.id,
        siteId: h.site,
        dedupeKey: 'flaky-1',
        subject: 'Flaky',
        payload: {},
      });
      await until(async () => (await s.automation.notifications.deliveries.get(id!)).state === 'failed', 'failed for good');
      const delivery = await s.automation.notifications.deliveries.get(id!);
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.lastStatus, 503);
      assert.equal(target.received.length, 3);
      await until(
        async () =>
          (await s.db.selectFrom('journal_events').select('data').where('type', '=', 'notification.failed').execute()).some((e) =>
            e.data.includes(id!),
          ),
        'the failure journaled',
      );
    } finally {
      await target.close();
    }
  });

  it('delivers to other targets while one target hangs', async () => {
    const stuck = await receiver(() => null);
    const fine = await receiver(() => 200);
    try {
      const hang = (
        await s.automation.notifications.channels.create(OP, { siteId: h.site, name: 'Hanging', kind: 'webhook', url: stuck.url })
      ).channel;
      const ok = (await s.automation.notifications.channels.create(OP, { siteId: h.site, name: 'Fine', kind: 'webhook', url: fine.url }))
        .channel;
      const hung = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          s.automation.notifications.deliveries.enqueue({
            channelId: hang.id,
            siteId: h.site,
            dedupeKey: `hang-${i}`,
            subject: 'to the void',
            payload: {},
          }),
        ),
      );
      const good = await s.automation.notifications.deliveries.enqueue({
        channelId: ok.id,
        siteId: h.site,
        dedupeKey: 'fine-1',
        subject: 'fine',
        payload: {},
      });
      await until(
        async () => (await s.automation.notifications.deliveries.get(good!)).state === 'delivered',
        'the other target got its notification',
      );
      const states = await Promise.all(hung.map(async (id) => (await s.automation.notifications.deliveries.get(id!)).state));
      assert.ok(
        states.every((state) => state !== 'delivered'),
        'the hanging target delivered nothing',
      );
      assert.ok(stuck.received.length <= 2, `at most two attempts hang on the stuck target at once (saw ${stuck.received.length})`);
    } finally {
      await stuck.close();
      await fine.close();
    }
  });

  it('escalates an unacknowledged alarm to the on-call member by e-mail, then to the next one', async () => {
    const schedule = await s.automation.notifications.oncall.saveSchedule(OP, {
      siteId: h.site,
      name: 'Security leads',
      members: [
        { name: 'Ana', email: 'ana@hospital.test' },
        { name: 'Ben', email: 'ben@hospital.test' },
      ],
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      shiftHours: 24,
    });
    await s.automation.notifications.oncall.saveChain(OP, {
      siteId: h.site,
      name: 'P1–2',
      minPriority: 1,
      maxPriority: 2,
      steps: [
        { afterSeconds: 0, target: { oncall: schedule.id } },
        { afterSeconds: 0, target: { oncall: schedule.id, offset: 1 } },
      ],
    });
    const { alarm } = await s.alarms.alarms.raise({
      siteId: h.site,
      type: 'panic',
      priority: 1,
      title: 'Panic in ED',
      dedupeKey: 'esc-1',
      source: 'rule:test',
    });
    await s.alarms.sweeper.sweep();
    await s.alarms.sweeper.sweep();
    await until(() => mails.length >= 2, 'two escalation e-mails');
    assert.deepEqual(
      mails.map((m) => m.to),
      ['ana@hospital.test', 'ben@hospital.test'],
    );
    assert.ok(mails[0]!.text.includes('Panic in ED'));
    const escalated = (await s.alarms.queries.get(alarm.id)).escalationLevel;
    assert.equal(escalated, 2);
  });
});
