/**
 * The agent's identity: an Ed25519 key pair made on first start and kept in the data directory,
 * readable by its owner only. The public key is registered on the server; the private key never
 * leaves the box.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { agentError } from './errors.js';
import { keyIdOf } from './protocol.js';

export interface AgentKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

const OWNER_ONLY = 0o077;

export function loadOrCreateAgentKey(file: string): AgentKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    // wx: never overwrite a key another process created meanwhile.
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const stat = fs.statSync(file);
  if (process.platform !== 'win32' && (stat.mode & OWNER_ONLY) !== 0) {
    throw agentError('agent.key_invalid', `Agent key ${file} is readable by others (chmod 600 it)`, { file });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } catch (e) {
    throw agentError('agent.key_invalid', `Agent key ${file} cannot be read: ${(e as Error).message}`, { file });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw agentError('agent.key_invalid', `Agent key ${file} is not an Ed25519 key`, { file });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey) };
}
