import { fromHex } from '../bytes.js';
import { OsdpError } from '../errors.js';
import { FrameDecoder } from '../frame/decoder.js';
import type { Frame } from '../frame/frame.js';

/** One frame of a recorded session, as it was on the wire. */
export interface TraceFrame {
  /** Wire bytes, mark byte included when there was one. */
  readonly bytes: Uint8Array;
  readonly frame: Frame;
  /** Sent by the PD (reply flag set) rather than by the CP. */
  readonly fromPd: boolean;
}

function toTraceFrame(bytes: Uint8Array): TraceFrame {
  const decoder = new FrameDecoder({ maxFrameLength: 0xffff });
  const outputs = decoder.push(bytes);
  const first = outputs[0];
  if (outputs.length !== 1 || first?.kind !== 'frame') {
    const error = first?.kind === 'error' ? first.error.code : 'no frame';
    throw new OsdpError('osdp.malformed_frame', `trace line is not exactly one valid frame (${error})`);
  }
  return { bytes, frame: first.frame, fromPd: first.frame.isReply };
}

/**
 * Reads a text trace: one frame per line as hex, optionally preceded by a direction word (RX/TX)
 * that is ignored because the reply flag of the address tells the direction unambiguously.
 */
export function parseTrace(text: string): TraceFrame[] {
  const frames: TraceFrame[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const hex = line.replace(/^[A-Za-z]+[:\s]+/, '');
    frames.push(toTraceFrame(fromHex(hex)));
  }
  return frames;
}

/** Reads a pcap file whose records each hold one OSDP frame (libosdp's capture format). */
export function parsePcap(file: Uint8Array): TraceFrame[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 24) throw new OsdpError('osdp.malformed_frame', 'pcap file too short');
  const magic = view.getUint32(0, true);
  let little: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) little = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) little = false;
  else throw new OsdpError('osdp.malformed_frame', 'not a pcap file');
  const frames: TraceFrame[] = [];
  let at = 24;
  while (at + 16 <= file.length) {
    const length = view.getUint32(at + 8, little);
    const start = at + 16;
    if (start + length > file.length) throw new OsdpError('osdp.frame_truncated', 'pcap record runs past the file end');
    frames.push(toTraceFrame(file.slice(start, start + length)));
    at = start + length;
  }
  return frames;
}
