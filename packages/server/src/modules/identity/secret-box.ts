/**
 * Encrypts TOTP secrets at rest with AES-256-GCM under a key kept in its own owner-only file, so a
 * copy of the database alone (a backup, a replica, a stolen disk image) does not yield the second
 * factor. The operator id is bound as associated data: a ciphertext moved to another operator's
 * row fails to decrypt instead of granting that operator someone else's authenticator.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { identityError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
const OWNER_ONLY = 0o077;

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== KEY_BYTES) throw identityError('auth.secret_key_insecure', `The secret key must be ${KEY_BYTES} bytes`, {});
    return new SecretBox(Buffer.from(key));
  }

  /**
   * Loads the key file, creating it (32 random bytes, mode 0600) when absent. Refuses a file that
   * group or others may access, or of the wrong size.
   */
  static openOrCreate(file: string): SecretBox {
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      try {
        // 'wx' fails if another process created it meanwhile; then that file is read below.
        fs.writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const stat = fs.statSync(file);
    if (process.platform !== 'win32' && (stat.mode & OWNER_ONLY) !== 0) {
      throw identityError(
        'auth.secret_key_insecure',
        `Secret key ${file} has mode ${(stat.mode & 0o777).toString(8)}; it must be readable by its owner only (chmod 600)`,
        { file },
      );
    }
    const key = fs.readFileSync(file);
    if (key.length !== KEY_BYTES) {
      throw identityError('auth.secret_key_insecure', `Secret key ${file} is ${key.length} bytes, not ${KEY_BYTES}`, { file });
    }
    return new SecretBox(key);
  }

  /** `v1.<iv>.<tag>.<ciphertext>` in base64url; `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Throws `auth.secret_undecryptable` when the key, the context or the ciphertext is wrong. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw identityError('auth.secret_undecryptable', 'Stored secret has an unknown format', {});
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    try {
      // A fixed tag length refuses truncated tags, which would weaken the authentication.
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv!, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
    } catch {
      throw identityError('auth.secret_undecryptable', 'Stored secret does not decrypt under the configured key', {});
    }
  }
}
