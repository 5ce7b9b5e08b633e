/**
 * OSDP protocol costs on one core: stream decoding (frames/s, against computing the CRC-16 of the
 * same frames, the least any decoder must do), secure-channel seal+open of a command (against the
 * raw AES-128 calls the spec requires for it), and full secure POLL/ACK exchanges between our
 * control panel and PD emulator over an in-memory link. A 115200-baud RS-485 bus carries at most
 * about 700 POLL/ACK exchanges per second, which is what the goals are measured against.
 *
 *   npx tsx bench/osdp-codec.bench.ts [--quick]
 */
import { createCipheriv } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  ControlPanel,
  FrameDecoder,
  Peripheral,
  SecureSession,
  crc16,
  createMemoryLink,
  deriveSessionKeys,
  encodeFrame,
  fromHex,
  openFrame,
  sealFrame,
} from '../packages/osdp/src/index.js';
import type { Frame } from '../packages/osdp/src/index.js';
import type { BenchFigure } from './figure.js';

const BUS_EXCHANGES_PER_S = 700;

function sampleStream(frames: number): { bytes: Uint8Array; spans: [number, number][] } {
  const kinds = [
    encodeFrame({ address: 1, isReply: false, sequence: 1, checkMode: 'crc', code: 0x60 }),
    encodeFrame({ address: 1, isReply: true, sequence: 1, checkMode: 'crc', code: 0x40 }),
    fromHex('ff53e51000055001011a000f63a3aed818'),
    fromHex('ff53e51e000e021850c8e7e4a09c49bb7d8a22bd04676455ba4ba3081e16e4'),
  ];
  const parts: Uint8Array[] = [];
  const spans: [number, number][] = [];
  let length = 0;
  for (let i = 0; i < frames; i++) {
    const frame = kinds[i % kinds.length]!;
    parts.push(frame);
    spans.push([length + 1, length + frame.length]);
    length += frame.length;
  }
  return { bytes: Buffer.concat(parts), spans };
}

function decodeRate(frames: number): { value: number; baseline: number } {
  const { bytes, spans } = sampleStream(frames);
  const decoder = new FrameDecoder();
  let decoded = 0;
  const t0 = performance.now();
  for (let at = 0; at < bytes.length; at += 64) {
    for (const output of decoder.push(bytes.subarray(at, at + 64))) if (output.kind === 'frame') decoded++;
  }
  const decodeMs = performance.now() - t0;
  if (decoded !== frames) throw new Error(`decoded ${decoded} of ${frames} frames`);
  let sink = 0;
  const t1 = performance.now();
  for (const [start, end] of spans) sink ^= crc16(bytes, start, end);
  const crcMs = performance.now() - t1;
  if (sink === -1) console.log(sink);
  return { value: (frames * 1000) / decodeMs, baseline: (frames * 1000) / crcMs };
}

function secureRate(messages: number): { value: number; baseline: number } {
  const keys = deriveSessionKeys(new Uint8Array(16), fromHex('0001020304050607'));
  const cp = new SecureSession(keys, new Uint8Array(16));
  const pd = new SecureSession(keys, new Uint8Array(16));
  const data = fromHex('0002010101');
  const decoder = new FrameDecoder();
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) {
    const bytes = sealFrame(cp, 'command', { address: 1, isReply: false, sequence: 1, checkMode: 'crc', code: 0x6a, data }, true);
    const output = decoder.push(bytes)[0];
    openFrame(pd, 'command', (output as { frame: Frame }).frame);
  }
  const sealMs = performance.now() - t0;
  // The same AES work done bare: encrypt 1 block, MAC 2 blocks on each side (CBC, fresh cipher per call).
  const block = new Uint8Array(32);
  const t1 = performance.now();
  for (let i = 0; i < messages; i++) {
    for (let call = 0; call < 6; call++) {
      const cipher = createCipheriv('aes-128-cbc', keys.enc, block.subarray(0, 16)).setAutoPadding(false);
      cipher.update(block.subarray(0, 16));
      cipher.final();
    }
  }
  const rawMs = performance.now() - t1;
  return { value: (messages * 1000) / sealMs, baseline: (messages * 1000) / rawMs };
}

async function exchangeRate(durationMs: number): Promise<number> {
  const [cpEnd, pdEnd] = createMemoryLink();
  const scbk = fromHex('000102030405060708090a0b0c0d0e0f');
  const pd = new Peripheral({
    address: 1,
    identity: { vendorCode: 1, model: 1, version: 1, serialNumber: 1, firmware: { major: 1, minor: 0, build: 0 } },
    secure: { scbk },
  });
  pd.attach(pdEnd);
  await pdEnd.open();
  const cp = new ControlPanel({ transport: cpEnd, peripherals: [{ address: 1, secure: { scbk } }], pollIntervalMs: 0 });
  const online = cp.next('online');
  await cp.start();
  await online;
  const before = cp.status(1).stats.repliesReceived;
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const exchanges = cp.status(1).stats.repliesReceived - before;
  const elapsed = performance.now() - t0;
  await cp.stop();
  await pdEnd.close();
  if (cp.status(1).stats.macFailures !== 0) throw new Error('MAC failures during the benchmark');
  return (exchanges * 1000) / elapsed;
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const decode = decodeRate(options.quick ? 100_000 : 500_000);
  const secure = secureRate(options.quick ? 20_000 : 100_000);
  const exchanges = await exchangeRate(options.quick ? 2000 : 5000);
  console.log(
    `decode ${Math.round(decode.value)} frames/s (CRC alone ${Math.round(decode.baseline)}); ` +
      `seal+open ${Math.round(secure.value)} msg/s (bare AES ${Math.round(secure.baseline)}); ` +
      `secure POLL/ACK ${Math.round(exchanges)} exchanges/s`,
  );
  return [
    {
      name: 'osdp stream decode vs CRC-16 alone',
      value: Math.round(decode.value),
      unit: 'frames/s',
      baseline: Math.round(decode.baseline),
      ratio: Number((decode.value / decode.baseline).toFixed(3)),
      goal: `>= ${100 * BUS_EXCHANGES_PER_S} frames/s`,
    },
    {
      name: 'osdp secure seal+open of a command vs bare AES calls',
      value: Math.round(secure.value),
      unit: 'messages/s',
      baseline: Math.round(secure.baseline),
      ratio: Number((secure.value / secure.baseline).toFixed(3)),
      goal: `>= ${10 * BUS_EXCHANGES_PER_S} messages/s`,
    },
    {
      name: 'osdp secure POLL/ACK exchanges, CP and PD emulator in one process',
      value: Math.round(exchanges),
      unit: 'exchanges/s',
      baseline: null,
      ratio: null,
      goal: `>= ${BUS_EXCHANGES_PER_S} exchanges/s`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    const against = f.baseline === null ? '' : ` (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio})`;
    console.log(`${f.name}: ${f.value} ${f.unit}${against}, goal ${f.goal}`);
  }
}
