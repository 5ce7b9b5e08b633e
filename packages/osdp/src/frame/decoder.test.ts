import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, fromHex, toHex } from '../bytes.js';
import type { OsdpErrorCode } from '../errors.js';
import { FrameDecoder } from './decoder.js';
import type { DecoderOutput } from './decoder.js';
import { encodeFrame } from './frame.js';

const POLL = fromHex('ff53650800066002f6'); // libosdp POLL, seq 2, mark byte
const ACK = fromHex('ff53e508000640b0f0');
const RAW = fromHex('ff53e51000055001011a000f63a3aed818');

const frames = (outputs: DecoderOutput[]) => outputs.filter((o) => o.kind === 'frame').map((o) => toHex(o.frame.bytes));
const errors = (outputs: DecoderOutput[]): OsdpErrorCode[] => outputs.flatMap((o) => (o.kind === 'error' ? [o.error.code] : []));

describe('FrameDecoder', () => {
  it('reassembles a frame delivered one byte at a time', () => {
    const decoder = new FrameDecoder();
    const outputs = [...RAW].flatMap((b) => decoder.push(Uint8Array.of(b)));
    assert.deepEqual(frames(outputs), [toHex(RAW.subarray(1))]);
    const frame = outputs[0]?.kind === 'frame' ? outputs[0].frame : null;
    assert.equal(frame?.marked, true);
    assert.equal(frame?.address, 0x65);
    assert.equal(frame?.isReply, true);
    assert.equal(frame?.sequence, 1);
    assert.equal(toHex(frame?.data ?? new Uint8Array()), '01011a000f63a3ae');
  });

  it('splits several frames arriving in one chunk, with or without mark bytes', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(concatBytes(POLL, ACK.subarray(1), RAW));
    assert.deepEqual(
      frames(outputs),
      [POLL, ACK, RAW].map((f) => toHex(f.subarray(1))),
    );
    assert.deepEqual(errors(outputs), []);
  });

  it('skips line noise before a frame and reports it once', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(concatBytes(fromHex('0000a1b2'), POLL));
    assert.deepEqual(frames(outputs), [toHex(POLL.subarray(1))]);
    assert.deepEqual(errors(outputs), ['osdp.garbage_discarded']);
    assert.equal(decoder.counters.discardedBytes, 4);
  });

  it('reports a corrupted frame once and still finds the frame right after it', () => {
    const decoder = new FrameDecoder();
    const corrupted = RAW.slice();
    corrupted[9] = (corrupted[9] ?? 0) ^ 0x53; // turns a data byte into a spurious SOM
    const outputs = decoder.push(concatBytes(corrupted, ACK));
    assert.deepEqual(errors(outputs), ['osdp.crc_mismatch']);
    assert.deepEqual(frames(outputs), [toHex(ACK.subarray(1))]);
  });

  it('does not let a frame whose tail was lost swallow the next frame', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(concatBytes(RAW.subarray(0, 10), POLL, ACK));
    assert.deepEqual(
      frames(outputs),
      [POLL, ACK].map((f) => toHex(f.subarray(1))),
    );
    assert.deepEqual(errors(outputs), ['osdp.crc_mismatch']);
  });

  it('rejects lengths above the maximum and below the minimum', () => {
    const decoder = new FrameDecoder({ maxFrameLength: 64 });
    assert.deepEqual(errors(decoder.push(fromHex('53650004'))), []);
    assert.deepEqual(errors(decoder.push(fromHex('04'))), ['osdp.frame_too_long']);
    assert.deepEqual(errors(decoder.push(fromHex('53650300'))), []);
    assert.deepEqual(errors(decoder.push(fromHex('04'))), ['osdp.frame_too_short']);
    assert.deepEqual(frames(decoder.push(POLL)), [toHex(POLL.subarray(1))]);
    assert.deepEqual(decoder.counters.byCode, { 'osdp.frame_too_long': 1, 'osdp.frame_too_short': 1 });
  });

  it('reports a checksum mismatch on checksum frames', () => {
    const frame = encodeFrame({ address: 1, isReply: false, sequence: 1, checkMode: 'checksum', code: 0x60 }, { mark: false });
    frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
    assert.deepEqual(errors(new FrameDecoder().push(frame)), ['osdp.checksum_mismatch']);
  });

  it('reports a frame cut short by a disconnect as truncated and starts clean', () => {
    const decoder = new FrameDecoder();
    assert.deepEqual(decoder.push(RAW.subarray(0, 8)), []);
    assert.deepEqual(errors(decoder.reset()), ['osdp.frame_truncated']);
    assert.equal(decoder.pendingBytes, 0);
    assert.deepEqual(frames(decoder.push(POLL)), [toHex(POLL.subarray(1))]);
    assert.equal(decoder.counters.frames, 1);
    assert.equal(decoder.counters.errors, 1);
  });

  it('flags a security block that does not fit the frame as malformed', () => {
    // SCB flag set, SCB length 9 in a frame with room for 3.
    const bytes = fromHex('53650b000c09116000');
    const withCrc = encodeLikeRaw(bytes);
    assert.deepEqual(errors(new FrameDecoder().push(withCrc)), ['osdp.malformed_frame']);
  });
});

/** Appends a valid CRC to hand-made header bytes whose length field counts the CRC. */
function encodeLikeRaw(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  let crc = 0x1d0f;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  out[body.length] = crc & 0xff;
  out[body.length + 1] = crc >> 8;
  return out;
}
