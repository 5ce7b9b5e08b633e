import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../bytes.js';
import { OsdpError } from '../errors.js';
import { decodeCommand, encodeCommand } from './command-codec.js';
import { decodeReply, encodeReply } from './reply-codec.js';
import type { Command, Reply } from './types.js';

const key = fromHex('000102030405060708090a0b0c0d0e0f');

/** Every command with the payload bytes the spec lays out for it. */
const COMMANDS: [Command, string][] = [
  [{ type: 'poll' }, '60'],
  [{ type: 'id', reportType: 0 }, '6100'],
  [{ type: 'cap', reportType: 0 }, '6200'],
  [{ type: 'lstat' }, '64'],
  [{ type: 'istat' }, '65'],
  [{ type: 'ostat' }, '66'],
  [{ type: 'out', outputs: [{ output: 1, controlCode: 5, timer: 0x0102 }] }, '6801050201'],
  [
    {
      type: 'led',
      leds: [
        {
          reader: 0,
          led: 1,
          temporary: { controlCode: 2, onTime: 3, offTime: 4, onColor: 1, offColor: 2, timer: 0x0a0b },
          permanent: { controlCode: 1, onTime: 5, offTime: 6, onColor: 3, offColor: 0 },
        },
      ],
    },
    '69000102030401020b0a0105060300',
  ],
  [{ type: 'buz', reader: 0, tone: 2, onTime: 1, offTime: 1, count: 1 }, '6a0002010101'],
  [{ type: 'text', reader: 0, command: 1, tempTime: 0, row: 1, column: 2, text: 'Hi' }, '6b00010001020248 69'.replace(' ', '')],
  [{ type: 'comset', address: 3, baudRate: 38400 }, '6e0300960000'],
  [{ type: 'keyset', keyType: 1, key }, '750110' + toHex(key)],
  [{ type: 'chlng', rndA: fromHex('b0b1b2b3b4b5b6b7') }, '76b0b1b2b3b4b5b6b7'],
  [{ type: 'scrypt', cryptogram: key }, '77' + toHex(key)],
];

const REPLIES: [Reply, string][] = [
  [{ type: 'ack' }, '40'],
  [{ type: 'nak', error: 3, details: new Uint8Array(0) }, '4103'],
  [{ type: 'busy' }, '79'],
  [
    {
      type: 'pdid',
      vendorCode: 0xfebabe,
      model: 1,
      version: 1,
      serialNumber: 0xdeadbeaf,
      firmware: { major: 0xad, minor: 0xde, build: 0xad },
    },
    '45bebafe0101afbeaddeaddead',
  ],
  [
    {
      type: 'pdcap',
      capabilities: [
        { function: 9, compliance: 1, count: 0 },
        { function: 10, compliance: 0, count: 1 },
      ],
    },
    '460901000a0001',
  ],
  [{ type: 'lstatr', tamper: false, power: true }, '480001'],
  [{ type: 'istatr', inputs: [0, 1, 0] }, '49000100'],
  [{ type: 'ostatr', outputs: [1] }, '4a01'],
  [{ type: 'raw', reader: 1, format: 1, bitCount: 26, data: fromHex('0f63a3ae') }, '5001011a000f63a3ae'],
  [{ type: 'keypad', reader: 0, keys: fromHex('3132') }, '5300023132'],
  [{ type: 'com', address: 3, baudRate: 9600 }, '540380250000'],
  [{ type: 'ccrypt', cUid: key.slice(0, 8), rndB: key.slice(8), cryptogram: key }, '76' + toHex(key) + toHex(key)],
  [{ type: 'rmac_i', rmac: key }, '78' + toHex(key)],
];

describe('command and reply payloads', () => {
  for (const [command, hex] of COMMANDS) {
    it(`encodes and decodes ${command.type}`, () => {
      const { code, data } = encodeCommand(command);
      assert.equal(code.toString(16).padStart(2, '0') + toHex(data), hex);
      assert.deepEqual(decodeCommand(code, data), command);
    });
  }
  for (const [reply, hex] of REPLIES) {
    it(`encodes and decodes ${reply.type}`, () => {
      const { code, data } = encodeReply(reply);
      assert.equal(code.toString(16).padStart(2, '0') + toHex(data), hex);
      assert.deepEqual(decodeReply(code, data), reply);
    });
  }

  it('rejects payloads of the wrong length with osdp.payload_invalid', () => {
    const cases: [() => unknown, string][] = [
      [() => decodeCommand(0x6a, fromHex('00020101')), 'BUZ short'],
      [() => decodeCommand(0x69, fromHex('00')), 'LED short'],
      [() => decodeCommand(0x6b, fromHex('000100010205 4142'.replace(' ', ''))), 'TEXT length lies'],
      [() => decodeReply(0x45, fromHex('0102')), 'PDID short'],
      [() => decodeReply(0x50, fromHex('01011a000f63')), 'RAW bits vs bytes'],
      [() => decodeReply(0x53, fromHex('0005313233')), 'KEYPAD count lies'],
      [() => decodeReply(0x46, fromHex('0901')), 'PDCAP not triplets'],
      [() => decodeReply(0x40, fromHex('00')), 'ACK with data'],
    ];
    for (const [run, label] of cases) {
      assert.throws(run, (e: unknown) => e instanceof OsdpError && e.code === 'osdp.payload_invalid', label);
    }
  });

  it('rejects unknown codes with osdp.unknown_code', () => {
    assert.throws(() => decodeCommand(0x99, new Uint8Array()), { code: 'osdp.unknown_code' });
    assert.throws(() => decodeReply(0x99, new Uint8Array()), { code: 'osdp.unknown_code' });
  });

  it('refuses to encode out-of-range values instead of truncating them', () => {
    assert.throws(() => encodeCommand({ type: 'buz', reader: 0, tone: 256, onTime: 0, offTime: 0, count: 0 }), {
      code: 'osdp.invalid_argument',
    });
    assert.throws(() => encodeCommand({ type: 'keyset', keyType: 1, key: new Uint8Array(15) }), { code: 'osdp.invalid_argument' });
    assert.throws(() => encodeCommand({ type: 'text', reader: 0, command: 1, tempTime: 0, row: 0, column: 0, text: 'é' }), {
      code: 'osdp.invalid_argument',
    });
    assert.throws(() => encodeCommand({ type: 'comset', address: 0x7f, baudRate: 9600 }), { code: 'osdp.invalid_argument' });
  });
});
