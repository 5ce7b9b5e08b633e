import { OsdpError } from '../errors.js';
import { ReplyCode } from '../constants.js';
import { expectLength, PayloadReader, PayloadWriter } from './payload.js';
import type { Payload, Reply } from './types.js';

const EMPTY = new Uint8Array(0);

/** Encodes a typed reply into its code and plain payload. */
export function encodeReply(reply: Reply): Payload {
  const w = new PayloadWriter(reply.type);
  switch (reply.type) {
    case 'ack':
      return { code: ReplyCode.ACK, data: EMPTY };
    case 'busy':
      return { code: ReplyCode.BUSY, data: EMPTY };
    case 'nak':
      return { code: ReplyCode.NAK, data: w.u8(reply.error, 'error').bytes(reply.details, 'details').build() };
    case 'pdid': {
      const f = reply.firmware;
      w.u24(reply.vendorCode, 'vendorCode').u8(reply.model, 'model').u8(reply.version, 'version');
      w.u32(reply.serialNumber, 'serialNumber');
      w.u8(f.major, 'firmware.major').u8(f.minor, 'firmware.minor').u8(f.build, 'firmware.build');
      return { code: ReplyCode.PDID, data: w.build() };
    }
    case 'pdcap':
      for (const c of reply.capabilities) w.u8(c.function, 'function').u8(c.compliance, 'compliance').u8(c.count, 'count');
      return { code: ReplyCode.PDCAP, data: w.build() };
    case 'lstatr':
      return { code: ReplyCode.LSTATR, data: Uint8Array.of(reply.tamper ? 1 : 0, reply.power ? 1 : 0) };
    case 'istatr':
      for (const value of reply.inputs) w.u8(value, 'inputs');
      return { code: ReplyCode.ISTATR, data: w.build() };
    case 'ostatr':
      for (const value of reply.outputs) w.u8(value, 'outputs');
      return { code: ReplyCode.OSTATR, data: w.build() };
    case 'raw': {
      const bytes = Math.ceil(reply.bitCount / 8);
      w.u8(reply.reader, 'reader').u8(reply.format, 'format').u16(reply.bitCount, 'bitCount');
      return { code: ReplyCode.RAW, data: w.bytes(reply.data, 'data', bytes).build() };
    }
    case 'keypad':
      w.u8(reply.reader, 'reader').u8(reply.keys.length, 'count').bytes(reply.keys, 'keys');
      return { code: ReplyCode.KEYPAD, data: w.build() };
    case 'com':
      return { code: ReplyCode.COM, data: w.u8(reply.address, 'address').u32(reply.baudRate, 'baudRate').build() };
    case 'ccrypt':
      w.bytes(reply.cUid, 'cUid', 8).bytes(reply.rndB, 'rndB', 8).bytes(reply.cryptogram, 'cryptogram', 16);
      return { code: ReplyCode.CCRYPT, data: w.build() };
    case 'rmac_i':
      return { code: ReplyCode.RMAC_I, data: w.bytes(reply.rmac, 'rmac', 16).build() };
  }
}

/** Decodes a reply payload; throws `osdp.payload_invalid` or `osdp.unknown_code`. */
export function decodeReply(code: number, data: Uint8Array): Reply {
  switch (code) {
    case ReplyCode.ACK:
      expectLength(data, 0, 'ACK');
      return { type: 'ack' };
    case ReplyCode.BUSY:
      expectLength(data, 0, 'BUSY');
      return { type: 'busy' };
    case ReplyCode.NAK: {
      const r = new PayloadReader(data, 'NAK');
      return { type: 'nak', error: r.u8(), details: r.rest() };
    }
    case ReplyCode.PDID: {
      expectLength(data, 12, 'PDID');
      const r = new PayloadReader(data, 'PDID');
      return {
        type: 'pdid',
        vendorCode: r.u24(),
        model: r.u8(),
        version: r.u8(),
        serialNumber: r.u32(),
        firmware: { major: r.u8(), minor: r.u8(), build: r.u8() },
      };
    }
    case ReplyCode.PDCAP: {
      if (data.length % 3 !== 0) throw new OsdpError('osdp.payload_invalid', 'PDCAP length is not a multiple of 3');
      const r = new PayloadReader(data, 'PDCAP');
      const capabilities = Array.from({ length: data.length / 3 }, () => ({
        function: r.u8(),
        compliance: r.u8(),
        count: r.u8(),
      }));
      return { type: 'pdcap', capabilities };
    }
    case ReplyCode.LSTATR:
      expectLength(data, 2, 'LSTATR');
      return { type: 'lstatr', tamper: data[0] !== 0, power: data[1] !== 0 };
    case ReplyCode.ISTATR:
      return { type: 'istatr', inputs: Array.from(data) };
    case ReplyCode.OSTATR:
      return { type: 'ostatr', outputs: Array.from(data) };
    case ReplyCode.RAW: {
      const r = new PayloadReader(data, 'RAW');
      const reader = r.u8();
      const format = r.u8();
      const bitCount = r.u16();
      const bytes = r.rest();
      if (bytes.length !== Math.ceil(bitCount / 8)) {
        throw new OsdpError('osdp.payload_invalid', `RAW: ${bitCount} bits do not fit ${bytes.length} bytes`);
      }
      return { type: 'raw', reader, format, bitCount, data: bytes };
    }
    case ReplyCode.KEYPAD: {
      const r = new PayloadReader(data, 'KEYPAD');
      const reader = r.u8();
      const keys = r.bytes(r.u8());
      r.end();
      return { type: 'keypad', reader, keys };
    }
    case ReplyCode.COM: {
      expectLength(data, 5, 'COM');
      const r = new PayloadReader(data, 'COM');
      return { type: 'com', address: r.u8(), baudRate: r.u32() };
    }
    case ReplyCode.CCRYPT:
      expectLength(data, 32, 'CCRYPT');
      return { type: 'ccrypt', cUid: data.slice(0, 8), rndB: data.slice(8, 16), cryptogram: data.slice(16, 32) };
    case ReplyCode.RMAC_I:
      expectLength(data, 16, 'RMAC_I');
      return { type: 'rmac_i', rmac: data.slice() };
    default:
      throw new OsdpError('osdp.unknown_code', `unknown reply code 0x${code.toString(16)}`, { code });
  }
}
