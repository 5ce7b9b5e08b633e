import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../bytes.js';
import { SCBK_DEFAULT } from '../constants.js';
import { FrameDecoder } from '../frame/decoder.js';
import type { Frame } from '../frame/frame.js';
import { deriveScbk, deriveSessionKeys, initialReplyMac, serverCryptogram } from './keys.js';
import { openFrame, sealFrame } from './seal.js';
import { padData, SecureSession, unpadData } from './session.js';

const rndA = fromHex('b0b1b2b3b4b5b6b7');
const rndB = fromHex('a0a1a2a3a4a5a6a7');

function pair(): [SecureSession, SecureSession] {
  const keys = deriveSessionKeys(SCBK_DEFAULT, rndA);
  const rmac = initialReplyMac(keys, serverCryptogram(keys, rndA, rndB));
  return [new SecureSession(keys, rmac), new SecureSession(keys, rmac)];
}

function decode(bytes: Uint8Array): Frame {
  const out = new FrameDecoder().push(bytes)[0];
  assert.ok(out?.kind === 'frame');
  return out.frame;
}

describe('secure channel messages', () => {
  it('pads with 0x80 and zeros, always adding the marker (a full block gets a whole pad block)', () => {
    assert.equal(toHex(padData(fromHex('0102'))), '0102800000000000' + '0000000000000000');
    assert.equal(padData(new Uint8Array(16)).length, 32);
    assert.deepEqual(unpadData(padData(fromHex('00ff00'))), fromHex('00ff00'));
    assert.equal(unpadData(new Uint8Array(16)), null);
  });

  it('seals and opens an encrypted command and reply, chaining MACs both ways', () => {
    const [cp, pd] = pair();
    for (let round = 0; round < 3; round++) {
      const command = sealFrame(
        cp,
        'command',
        { address: 1, isReply: false, sequence: 1, checkMode: 'crc', code: 0x6a, data: fromHex('0002010101') },
        true,
      );
      assert.deepEqual(openFrame(pd, 'command', decode(command)), { code: 0x6a, data: fromHex('0002010101') });
      const reply = sealFrame(pd, 'reply', { address: 1, isReply: true, sequence: 1, checkMode: 'crc', code: 0x40 }, true);
      assert.deepEqual(openFrame(cp, 'reply', decode(reply)), { code: 0x40, data: new Uint8Array(0) });
    }
  });

  it('rejects a replayed message because the chain moved on, and keeps the chain intact', () => {
    const [cp, pd] = pair();
    const first = sealFrame(cp, 'command', { address: 1, isReply: false, sequence: 1, checkMode: 'crc', code: 0x60 }, false);
    openFrame(pd, 'command', decode(first));
    openFrame(cp, 'reply', decode(sealFrame(pd, 'reply', { address: 1, isReply: true, sequence: 1, checkMode: 'crc', code: 0x40 }, false)));
    assert.throws(() => openFrame(pd, 'command', decode(first)), { code: 'osdp.mac_mismatch' });
    const next = sealFrame(cp, 'command', { address: 1, isReply: false, sequence: 2, checkMode: 'crc', code: 0x60 }, false);
    assert.equal(openFrame(pd, 'command', decode(next)).code, 0x60);
  });

  it('refuses plain frames where the secure channel is up', () => {
    const [, pd] = pair();
    const plain = decode(fromHex('ff53650800066002f6'));
    assert.throws(() => openFrame(pd, 'command', plain), { code: 'osdp.secure_channel_required' });
  });

  it('diversifies an SCBK from the master key as AES(MK, cUID || ~cUID)', () => {
    const cUid = fromHex('beba0100afbeadde');
    const a = deriveScbk(SCBK_DEFAULT, cUid);
    assert.equal(a.length, 16);
    assert.notDeepEqual(a, deriveScbk(SCBK_DEFAULT, fromHex('beba0100afbeaddf')));
    assert.throws(() => deriveScbk(SCBK_DEFAULT, new Uint8Array(7)), { code: 'osdp.invalid_argument' });
  });
});
