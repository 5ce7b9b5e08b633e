// SIA OSDP v2.2 Annex E published test vectors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../bytes.js';
import { SCBK_DEFAULT } from '../constants.js';
import { checksum8, crc16 } from '../frame/check.js';
import { encodeFrame, parseFrame } from '../frame/frame.js';
import { clientCryptogram, deriveSessionKeys, initialReplyMac, serverCryptogram } from '../secure/keys.js';

describe('Annex E: check characters', () => {
  it('CRC-16 of the COMSET broadcast example is 6E 38 (LSB first)', () => {
    const crc = crc16(fromHex('537F0D00046E00802500 00'));
    assert.deepEqual([crc & 0xff, crc >> 8], [0x6e, 0x38]);
  });

  it('CRC-16 of the ID example is C0 66 (LSB first)', () => {
    const crc = crc16(fromHex('53000900046100'));
    assert.deepEqual([crc & 0xff, crc >> 8], [0xc0, 0x66]);
  });

  it('checksums of the same two messages are 0F and 44', () => {
    assert.equal(checksum8(fromHex('537F0C00006E0080250000')), 0x0f);
    assert.equal(checksum8(fromHex('53000800006100')), 0x44);
  });

  it('the frame encoder reproduces both example frames and the parser accepts them', () => {
    const id = encodeFrame(
      { address: 0, isReply: false, sequence: 0, checkMode: 'crc', code: 0x61, data: Uint8Array.of(0) },
      { mark: false },
    );
    assert.equal(toHex(id), '53000900046100c066');
    const comset = encodeFrame(
      { address: 0x7f, isReply: false, sequence: 0, checkMode: 'checksum', code: 0x6e, data: fromHex('0080250000') },
      { mark: false },
    );
    assert.equal(toHex(comset), '537f0c00006e00802500000f');
    const parsed = parseFrame(comset);
    assert.ok(!(parsed instanceof Error));
    assert.equal(parsed.code, 0x6e);
    assert.equal(parsed.checkMode, 'checksum');
  });
});

describe('Annex E: secure channel with SCBK-D, RND.A = B0..B7, RND.B = A0..A7', () => {
  const rndA = fromHex('B0B1B2B3B4B5B6B7');
  const rndB = fromHex('A0A1A2A3A4A5A6A7');
  const keys = deriveSessionKeys(SCBK_DEFAULT, rndA);

  it('derives S-ENC, S-MAC1 and S-MAC2', () => {
    assert.equal(toHex(keys.enc).toUpperCase(), 'BF8DC2A8329ACB8C67C6D0CD9A451682');
    assert.equal(toHex(keys.mac1).toUpperCase(), '5E86C676603BDEE2D8BEAFE178637332');
    assert.equal(toHex(keys.mac2).toUpperCase(), '6FDA86E857777E81132035758239172E');
  });

  it('computes the client and server cryptograms', () => {
    assert.equal(toHex(clientCryptogram(keys, rndA, rndB)).toUpperCase(), 'FDE5D2F428EC16312471EA3C02BD7796');
    assert.equal(toHex(serverCryptogram(keys, rndA, rndB)).toUpperCase(), '26D3356E07762D262801FC8E6665A891');
  });

  it('computes R-MAC-I from the server cryptogram', () => {
    const rmac = initialReplyMac(keys, serverCryptogram(keys, rndA, rndB));
    assert.equal(toHex(rmac).toUpperCase(), 'B2A30057EB98BA2229EC1F875662B524');
  });
});
