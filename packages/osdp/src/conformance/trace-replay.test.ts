// Recorded sessions (libosdp 3.2 and SIA open-osdp): our CP and our PD must reproduce the
// recorded frames byte for byte when given the same random numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../bytes.js';
import { CommandCode, ReplyCode } from '../constants.js';
import { decodeReply } from '../commands/reply-codec.js';
import type { Command, Reply } from '../commands/types.js';
import { ControlPanel } from '../cp/control-panel.js';
import type { ControlPanelEvents } from '../cp/types.js';
import { Peripheral } from '../pd/peripheral.js';
import { TraceReplayTransport } from '../trace/replay.js';
import type { TraceFrame } from '../trace/trace.js';
import { fixturesPresent, loadTrace, RECORDED_SESSIONS, SKIP_REASON } from './fixtures.js';

const SCBK = fromHex('000102030405060708090a0b0c0d0e0f');
const card = (hex: string) => ({ reader: 1, format: 1, bitCount: 26, data: fromHex(hex) });
const BUZZ: Command = { type: 'buz', reader: 0, tone: 2, onTime: 1, offTime: 1, count: 1 };

function plainReply(trace: readonly TraceFrame[], code: number): Reply | null {
  const found = trace.find((f) => f.fromPd && f.frame.code === code && !f.frame.securityBlock);
  return found ? decodeReply(found.frame.code, found.frame.data) : null;
}

/** RND.A from the recorded osdp_CHLNG, RND.B and cUID from the recorded osdp_CCRYPT. */
function handshakeRandoms(trace: readonly TraceFrame[]): { rndA: Uint8Array; rndB: Uint8Array; cUid: Uint8Array } | null {
  const challenge = trace.find((f) => !f.fromPd && f.frame.code === CommandCode.CHLNG);
  const ccrypt = trace.find((f) => f.fromPd && f.frame.code === ReplyCode.CCRYPT);
  if (!challenge || !ccrypt) return null;
  return { rndA: challenge.frame.data, cUid: ccrypt.frame.data.slice(0, 8), rndB: ccrypt.frame.data.slice(8, 16) };
}

const fixed = (bytes: Uint8Array) => (size: number) => bytes.slice(0, size);

describe('recorded sessions: control panel', { skip: fixturesPresent ? false : SKIP_REASON }, () => {
  for (const session of RECORDED_SESSIONS) {
    it(`produces every CP frame of ${session.name} and accepts every PD frame`, async (t) => {
      const trace = loadTrace(session.name);
      const address = trace[0]!.frame.address;
      const randoms = handshakeRandoms(trace);
      let cp: ControlPanel | null = null;
      const sent: Promise<Reply>[] = [];
      const replay = new TraceReplayTransport(trace, (index) => {
        // The recording application queued BUZ / LSTAT right before the PD frame at `index`.
        const next = trace[index + 1];
        if (!cp || !next || next.fromPd) return;
        if (next.frame.code === CommandCode.BUZ) sent.push(cp.send(address, BUZZ));
        if (next.frame.code === CommandCode.LSTAT) sent.push(cp.send(address, { type: 'lstat' }));
      });
      cp = new ControlPanel({
        transport: replay,
        peripherals: [{ address, secure: session.secure ? { scbk: SCBK } : undefined }],
        random: fixed(randoms?.rndA ?? new Uint8Array(8)),
        pollIntervalMs: 0,
        replyTimeoutMs: 500,
      });
      const cards: ControlPanelEvents['card'][] = [];
      const faults: unknown[] = [];
      cp.on('card', (e) => cards.push(e));
      cp.on('securityFault', (e) => faults.push(e.error));
      cp.on('frameError', (e) => faults.push(e.error));
      await cp.start();
      await replay.done;
      const status = cp.status(address);
      await cp.stop();

      const expected = trace.filter((f) => !f.fromPd).map((f) => toHex(f.bytes));
      const actual = replay.written.map(toHex);
      const matched = expected.filter((hex, i) => actual[i] === hex).length;
      t.diagnostic(`${session.name}: ${matched}/${expected.length} CP frames byte for byte`);
      assert.deepEqual(actual, expected);
      assert.deepEqual(faults, []);
      assert.equal(status.online, true);
      assert.equal(status.secure, session.secure);
      assert.equal(status.stats.invalidReplies, 0);
      assert.equal(status.stats.repliesReceived, trace.filter((f) => f.fromPd).length);
      for (const reply of await Promise.all(sent)) assert.notEqual(reply.type, 'nak');
      assert.deepEqual(cards, session.card ? [{ address, ...card(session.card) }] : []);
    });
  }
});

describe('recorded sessions: peripheral emulator', { skip: fixturesPresent ? false : SKIP_REASON }, () => {
  for (const session of RECORDED_SESSIONS) {
    it(`answers the CP frames of ${session.name} with the recorded PD frames`, (t) => {
      const trace = loadTrace(session.name);
      const address = trace[0]!.frame.address;
      const identity = plainReply(trace, ReplyCode.PDID);
      const capabilities = plainReply(trace, ReplyCode.PDCAP);
      const local = plainReply(trace, ReplyCode.LSTATR);
      assert.ok(identity?.type === 'pdid' && capabilities?.type === 'pdcap');
      const randoms = handshakeRandoms(trace);
      const pd = new Peripheral({
        address,
        identity,
        capabilities: capabilities.capabilities,
        secure: session.secure ? { scbk: SCBK } : undefined,
        cUid: randoms?.cUid,
        random: fixed(randoms?.rndB ?? new Uint8Array(8)),
        localStatus: local?.type === 'lstatr' ? { tamper: local.tamper, power: local.power } : undefined,
      });
      const commands: Command[] = [];
      pd.on('command', (c) => commands.push(c));

      let expected = 0;
      let matched = 0;
      for (let i = 0; i < trace.length; i++) {
        const frame = trace[i]!;
        if (frame.fromPd) continue;
        const recorded = trace[i + 1];
        // What happened at the reader just before this poll in the recording.
        if (recorded?.fromPd && recorded.frame.code === ReplyCode.RAW && session.card) pd.presentCard(card(session.card));
        if (recorded?.fromPd && recorded.frame.code === ReplyCode.LSTATR && local?.type === 'lstatr') {
          if (frame.frame.code === CommandCode.POLL) pd.setLocalStatus({ tamper: local.tamper, power: local.power });
        }
        const replies = pd.receive(frame.bytes);
        if (!recorded?.fromPd) continue;
        expected++;
        assert.equal(replies.length, 1, `one reply to CP frame ${i}`);
        assert.equal(toHex(replies[0]!), toHex(recorded.bytes), `reply to CP frame ${i}`);
        matched++;
      }
      t.diagnostic(`${session.name}: ${matched}/${expected} PD frames byte for byte`);
      assert.equal(pd.secureChannelActive, session.secure);
      const buzzed = trace.some((f) => !f.fromPd && f.frame.code === CommandCode.BUZ);
      assert.deepEqual(commands, buzzed ? [BUZZ] : []);
    });
  }
});
