/**
 * Builds the identity services from their ports; called once by the composition root (and by the
 * CLI, which needs `operators.createAdmin`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';
import { AccountService } from './account.js';
import { IdentityAuthenticator } from './authenticator.js';
import type { IdentityContext, SecurityPolicy } from './context.js';
import { OperatorService, type OperatorServiceOptions } from './operators.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './passwords.js';
import { SecretBox } from './secret-box.js';
import { SignInService } from './sign-in.js';
import { TokenService } from './tokens.js';

export interface IdentityOptions extends OperatorServiceOptions {
  readonly db: Kysely<Database>;
  readonly record: RecordEvents;
  readonly clock: () => Date;
  readonly policy: SecurityPolicy;
  /** The key file that encrypts TOTP secrets (created on first use, owner-only). */
  readonly secretKeyFile: string;
  readonly passwordCost?: ScryptCost;
  readonly issuer?: string;
}

export interface Identity {
  readonly signIn: SignInService;
  readonly account: AccountService;
  readonly operators: OperatorService;
  readonly tokens: TokenService;
  readonly authenticator: IdentityAuthenticator;
}

export function createIdentity(options: IdentityOptions): Identity {
  const ctx: IdentityContext = {
    db: options.db,
    record: options.record,
    clock: options.clock,
    policy: options.policy,
    secrets: SecretBox.openOrCreate(options.secretKeyFile),
    passwordCost: options.passwordCost ?? DEFAULT_SCRYPT_COST,
    issuer: options.issuer ?? 'Vigil',
  };
  const signIn = new SignInService(ctx);
  const operators = new OperatorService(ctx, options.siteExists ? { siteExists: options.siteExists } : {});
  const tokens = new TokenService(ctx, operators);
  return {
    signIn,
    account: new AccountService(ctx, signIn.loginThrottle),
    operators,
    tokens,
    authenticator: new IdentityAuthenticator(ctx, signIn.sessionStore, tokens),
  };
}
