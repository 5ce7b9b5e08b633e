import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';
import type { ScryptCost } from './passwords.js';
import type { SecretBox } from './secret-box.js';

/** The `security` settings the identity services obey (kernel/config.ts documents each). */
export interface SecurityPolicy {
  readonly sessionTtlMinutes: number;
  readonly sessionIdleMinutes: number;
  readonly loginMaxFailures: number;
  readonly lockoutMinutes: number;
  readonly loginRatePerMinute: number;
}

/** The ports every identity service is built from. */
export interface IdentityContext {
  readonly db: Kysely<Database>;
  readonly record: RecordEvents;
  readonly clock: () => Date;
  readonly secrets: SecretBox;
  readonly policy: SecurityPolicy;
  readonly passwordCost: ScryptCost;
  /** Shown as the account's issuer in authenticator apps. */
  readonly issuer: string;
}
