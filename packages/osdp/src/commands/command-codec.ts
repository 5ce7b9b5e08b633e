import { OsdpError } from '../errors.js';
import { CommandCode } from '../constants.js';
import { expectLength, expectMultiple, PayloadReader, PayloadWriter } from './payload.js';
import type { Command, LedControl, OutputControl, Payload } from './types.js';

const EMPTY = new Uint8Array(0);

function writeLed(w: PayloadWriter, led: LedControl): void {
  const t = led.temporary;
  const p = led.permanent;
  w.u8(led.reader, 'reader').u8(led.led, 'led');
  w.u8(t.controlCode, 'temporary.controlCode').u8(t.onTime, 'temporary.onTime').u8(t.offTime, 'temporary.offTime');
  w.u8(t.onColor, 'temporary.onColor').u8(t.offColor, 'temporary.offColor').u16(t.timer, 'temporary.timer');
  w.u8(p.controlCode, 'permanent.controlCode').u8(p.onTime, 'permanent.onTime').u8(p.offTime, 'permanent.offTime');
  w.u8(p.onColor, 'permanent.onColor').u8(p.offColor, 'permanent.offColor');
}

function readLed(r: PayloadReader): LedControl {
  const reader = r.u8();
  const led = r.u8();
  const temporary = { controlCode: r.u8(), onTime: r.u8(), offTime: r.u8(), onColor: r.u8(), offColor: r.u8(), timer: r.u16() };
  const permanent = { controlCode: r.u8(), onTime: r.u8(), offTime: r.u8(), onColor: r.u8(), offColor: r.u8() };
  return { reader, led, temporary, permanent };
}

function asciiText(text: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text) || text.length > 255) {
    throw new OsdpError('osdp.invalid_argument', 'TEXT must be at most 255 printable ASCII characters');
  }
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Encodes a typed command into its code and plain payload. */
export function encodeCommand(command: Command): Payload {
  const w = new PayloadWriter(command.type);
  switch (command.type) {
    case 'poll':
      return { code: CommandCode.POLL, data: EMPTY };
    case 'id':
      return { code: CommandCode.ID, data: w.u8(command.reportType ?? 0, 'reportType').build() };
    case 'cap':
      return { code: CommandCode.CAP, data: w.u8(command.reportType ?? 0, 'reportType').build() };
    case 'lstat':
      return { code: CommandCode.LSTAT, data: EMPTY };
    case 'istat':
      return { code: CommandCode.ISTAT, data: EMPTY };
    case 'ostat':
      return { code: CommandCode.OSTAT, data: EMPTY };
    case 'out':
      if (command.outputs.length === 0) throw new OsdpError('osdp.invalid_argument', 'OUT needs an output');
      for (const o of command.outputs) w.u8(o.output, 'output').u8(o.controlCode, 'controlCode').u16(o.timer, 'timer');
      return { code: CommandCode.OUT, data: w.build() };
    case 'led':
      if (command.leds.length === 0) throw new OsdpError('osdp.invalid_argument', 'LED needs a record');
      for (const led of command.leds) writeLed(w, led);
      return { code: CommandCode.LED, data: w.build() };
    case 'buz':
      w.u8(command.reader, 'reader').u8(command.tone, 'tone').u8(command.onTime, 'onTime');
      w.u8(command.offTime, 'offTime').u8(command.count, 'count');
      return { code: CommandCode.BUZ, data: w.build() };
    case 'text': {
      const text = asciiText(command.text);
      w.u8(command.reader, 'reader').u8(command.command, 'command').u8(command.tempTime, 'tempTime');
      w.u8(command.row, 'row').u8(command.column, 'column').u8(text.length, 'length').bytes(text, 'text');
      return { code: CommandCode.TEXT, data: w.build() };
    }
    case 'comset':
      if (command.address >= 0x7f) throw new OsdpError('osdp.invalid_argument', 'COMSET address must be below 0x7F');
      w.u8(command.address, 'address').u32(command.baudRate, 'baudRate');
      return { code: CommandCode.COMSET, data: w.build() };
    case 'keyset':
      w.u8(command.keyType, 'keyType').u8(command.key.length, 'keyLength').bytes(command.key, 'key', 16);
      return { code: CommandCode.KEYSET, data: w.build() };
    case 'chlng':
      return { code: CommandCode.CHLNG, data: w.bytes(command.rndA, 'rndA', 8).build() };
    case 'scrypt':
      return { code: CommandCode.SCRYPT, data: w.bytes(command.cryptogram, 'cryptogram', 16).build() };
  }
}

function readOutput(r: PayloadReader): OutputControl {
  return { output: r.u8(), controlCode: r.u8(), timer: r.u16() };
}

/** Decodes a command payload; throws `osdp.payload_invalid` or `osdp.unknown_code`. */
export function decodeCommand(code: number, data: Uint8Array): Command {
  switch (code) {
    case CommandCode.POLL:
      expectLength(data, 0, 'POLL');
      return { type: 'poll' };
    case CommandCode.ID:
      expectLength(data, 1, 'ID');
      return { type: 'id', reportType: data[0] ?? 0 };
    case CommandCode.CAP:
      expectLength(data, 1, 'CAP');
      return { type: 'cap', reportType: data[0] ?? 0 };
    case CommandCode.LSTAT:
      expectLength(data, 0, 'LSTAT');
      return { type: 'lstat' };
    case CommandCode.ISTAT:
      expectLength(data, 0, 'ISTAT');
      return { type: 'istat' };
    case CommandCode.OSTAT:
      expectLength(data, 0, 'OSTAT');
      return { type: 'ostat' };
    case CommandCode.OUT: {
      const count = expectMultiple(data, 4, 'OUT');
      const r = new PayloadReader(data, 'OUT');
      return { type: 'out', outputs: Array.from({ length: count }, () => readOutput(r)) };
    }
    case CommandCode.LED: {
      const count = expectMultiple(data, 14, 'LED');
      const r = new PayloadReader(data, 'LED');
      return { type: 'led', leds: Array.from({ length: count }, () => readLed(r)) };
    }
    case CommandCode.BUZ: {
      expectLength(data, 5, 'BUZ');
      const r = new PayloadReader(data, 'BUZ');
      return { type: 'buz', reader: r.u8(), tone: r.u8(), onTime: r.u8(), offTime: r.u8(), count: r.u8() };
    }
    case CommandCode.TEXT: {
      const r = new PayloadReader(data, 'TEXT');
      const head = { reader: r.u8(), command: r.u8(), tempTime: r.u8(), row: r.u8(), column: r.u8() };
      const text = String.fromCharCode(...r.bytes(r.u8()));
      r.end();
      return { type: 'text', ...head, text };
    }
    case CommandCode.COMSET: {
      expectLength(data, 5, 'COMSET');
      const r = new PayloadReader(data, 'COMSET');
      return { type: 'comset', address: r.u8(), baudRate: r.u32() };
    }
    case CommandCode.KEYSET: {
      const r = new PayloadReader(data, 'KEYSET');
      const keyType = r.u8();
      const key = r.bytes(r.u8());
      r.end();
      return { type: 'keyset', keyType, key };
    }
    case CommandCode.CHLNG:
      expectLength(data, 8, 'CHLNG');
      return { type: 'chlng', rndA: data.slice() };
    case CommandCode.SCRYPT:
      expectLength(data, 16, 'SCRYPT');
      return { type: 'scrypt', cryptogram: data.slice() };
    default:
      throw new OsdpError('osdp.unknown_code', `unknown command code 0x${code.toString(16)}`, { code });
  }
}
