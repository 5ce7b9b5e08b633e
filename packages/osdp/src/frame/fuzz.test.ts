// Bounded fuzzing of everything that parses untrusted bytes: the stream decoder, the payload
// decoders and the PD emulator. Seeded, so a failure reproduces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, fromHex, toHex } from '../bytes.js';
import { decodeCommand } from '../commands/command-codec.js';
import { decodeReply } from '../commands/reply-codec.js';
import { OSDP_ERROR_CODES, OsdpError } from '../errors.js';
import { Peripheral } from '../pd/peripheral.js';
import { FrameDecoder } from './decoder.js';
import { encodeFrame } from './frame.js';
import type { Frame } from './frame.js';

const ITERATIONS = 4000;

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'ff53650900046100d97a',
  'ff53e51e000e021850c8e7e4a09c49bb7d8a22bd04676455ba4ba3081e16e4',
  'ff536513000c0311017667c6697351ff4aec5ad8',
  'ff53e51000055001011a000f63a3aed818',
  'ff5381350005460102080202100301000401010501000601010801000900000a00030b00030c00000d00000e00000f0000100200b137',
].map(fromHex);

function randomFrame(random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const data = Uint8Array.from({ length: int(40) }, () => int(256));
  const scb = random() < 0.4 ? { type: 0x11 + int(8), data: Uint8Array.from({ length: int(3) }, () => int(256)) } : null;
  return encodeFrame(
    {
      address: int(128),
      isReply: random() < 0.5,
      sequence: int(4),
      checkMode: random() < 0.7 ? 'crc' : 'checksum',
      securityBlock: scb,
      code: 0x40 + int(0x40),
      data,
    },
    { mark: random() < 0.5, mac: () => Uint8Array.from({ length: 4 }, () => int(256)) },
  );
}

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  let bytes: Uint8Array = input.slice();
  for (let n = 1 + int(3); n > 0; n--) {
    const at = int(bytes.length + 1);
    switch (int(6)) {
      case 0:
        if (bytes.length) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ (1 << int(8));
        break;
      case 1:
        bytes = concatBytes(bytes.subarray(0, at), Uint8Array.of(int(256)), bytes.subarray(at));
        break;
      case 2:
        bytes = concatBytes(bytes.subarray(0, at), bytes.subarray(at + 1));
        break;
      case 3:
        bytes = bytes.subarray(0, at);
        break;
      case 4: // lie about the length
        if (bytes.length > 4) bytes[bytes[0] === 0xff ? 3 : 2] = int(256);
        break;
      default:
        bytes = concatBytes(
          bytes,
          Uint8Array.from({ length: int(20) }, () => int(256)),
        );
    }
  }
  return bytes;
}

function checkError(error: unknown): void {
  assert.ok(error instanceof OsdpError, `non-OsdpError escaped: ${String(error)}`);
  assert.ok(error.code in OSDP_ERROR_CODES, `unknown code ${error.code}`);
}

function roundTrips(frame: Frame): boolean {
  const again = encodeFrame(frame, { mark: false, mac: () => frame.mac ?? new Uint8Array(4) });
  return toHex(again) === toHex(frame.bytes);
}

describe('fuzzing untrusted input', () => {
  it(`the decoder survives ${ITERATIONS} random and mutated inputs, every error has a code`, () => {
    const random = prng(0x05d9);
    const decoder = new FrameDecoder({ maxFrameLength: 256 });
    let frames = 0;
    let errors = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const kind = random();
      const base = kind < 0.5 ? SEEDS[Math.floor(random() * SEEDS.length)]! : randomFrame(random);
      const input =
        kind < 0.1 ? Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)) : mutate(base, random);
      let at = 0;
      while (at < input.length) {
        const size = 1 + Math.floor(random() * 24);
        for (const output of decoder.push(input.subarray(at, at + size))) {
          if (output.kind === 'error') {
            checkError(output.error);
            errors++;
          } else {
            frames++;
            assert.ok(roundTrips(output.frame), `re-encoding ${toHex(output.frame.bytes)}`);
            for (const decode of [decodeCommand, decodeReply]) {
              try {
                decode(output.frame.code, output.frame.data);
              } catch (error) {
                checkError(error);
              }
            }
          }
        }
        at += size;
      }
      if (random() < 0.05) {
        for (const output of decoder.reset()) {
          assert.equal(output.kind, 'error');
          if (output.kind === 'error') checkError(output.error);
          errors++;
        }
      }
    }
    const byCode = Object.values(decoder.counters.byCode).reduce((a, b) => a + b, 0);
    assert.equal(decoder.counters.errors, byCode);
    assert.equal(decoder.counters.errors, errors);
    assert.ok(frames > 0 && errors > 0);
  });

  it('always resynchronises: a valid frame after arbitrary junk is recovered once the line idles', () => {
    const random = prng(0xbeef);
    const decoder = new FrameDecoder({ maxFrameLength: 256 });
    const idle = new Uint8Array(300).fill(0xff);
    for (let i = 0; i < ITERATIONS / 4; i++) {
      const junk = mutate(SEEDS[i % SEEDS.length]!, random);
      const valid = randomFrame(random);
      const outputs = [...decoder.push(junk), ...decoder.push(valid), ...decoder.push(idle)];
      const found = outputs.some(
        (o) => o.kind === 'frame' && toHex(o.frame.bytes) === toHex(valid[0] === 0xff ? valid.subarray(1) : valid),
      );
      assert.ok(found, `frame lost after junk ${toHex(junk)}`);
    }
  });

  it('the PD emulator answers or ignores hostile bytes without throwing', () => {
    const random = prng(0x1234);
    const pd = new Peripheral({
      address: 0x65,
      identity: { vendorCode: 1, model: 1, version: 1, serialNumber: 1, firmware: { major: 1, minor: 0, build: 0 } },
      secure: { scbk: new Uint8Array(16), installMode: true },
    });
    const errors: OsdpError[] = [];
    pd.on('error', (e) => errors.push(e));
    for (let i = 0; i < ITERATIONS / 2; i++) {
      const frame = mutate(randomFrame(random), random);
      if (frame.length > 2) frame[frame[0] === 0xff ? 2 : 1] = 0x65;
      for (const reply of pd.receive(frame)) assert.equal(new FrameDecoder().push(reply)[0]?.kind, 'frame');
    }
    for (const error of errors) checkError(error);
  });
});
