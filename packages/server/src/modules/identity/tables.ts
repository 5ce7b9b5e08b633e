/** Tables owned by the identity module. Instants are ISO-8601 UTC text (see storage/database.ts). */
export interface OperatorsTable {
  id: string;
  /** Lower-case; unique. What the operator types at sign-in. */
  username: string;
  display_name: string;
  /** `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>` (see passwords.ts). */
  password_hash: string;
  password_changed_at: string;
  /** 1 after an administrator issued a one-time password: it must be changed at first sign-in. */
  must_change_password: number;
  disabled: number;
  /** Consecutive failed sign-ins (password or TOTP) since the last success or lockout. */
  failed_attempts: number;
  locked_until: string | null;
  /** The active TOTP secret, AES-256-GCM encrypted (see secret-box.ts); null: no MFA. */
  mfa_secret: string | null;
  /** A generated secret awaiting its first valid code; replaces nothing until confirmed. */
  mfa_pending_secret: string | null;
  /** Highest TOTP time step accepted so far: a code for this step or an earlier one is a replay. */
  mfa_last_step: number | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

export interface OperatorRolesTable {
  operator_id: string;
  role: string;
  /** A site id, or `*` for every site. */
  site: string;
  granted_at: string;
  granted_by: string;
}

export interface OperatorSessionsTable {
  /** SHA-256 (hex) of the cookie value; the value itself is never stored. */
  id_hash: string;
  operator_id: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute end of the session, whatever its activity. */
  expires_at: string;
  client_address: string;
}

/** Password accepted, TOTP code outstanding. Short-lived and never a session. */
export interface MfaChallengesTable {
  id_hash: string;
  operator_id: string;
  expires_at: string;
  /** Wrong codes entered against this challenge; it is dropped after a few. */
  attempts: number;
  client_address: string;
}

export interface ApiTokensTable {
  id: string;
  operator_id: string;
  name: string;
  /** The first characters of the secret after `vgl_`, so an operator can tell tokens apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole secret. */
  secret_hash: string;
  /** JSON array of permissions. */
  permissions: string;
  /** JSON array of site ids (or `["*"]`). */
  sites: string;
  expires_at: string | null;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Failed sign-in attempts per client address, counted in one-minute windows. */
export interface LoginThrottleTable {
  address: string;
  window_start: string;
  attempts: number;
  previous_attempts: number;
}

export interface IdentityTables {
  operators: OperatorsTable;
  operator_roles: OperatorRolesTable;
  operator_sessions: OperatorSessionsTable;
  mfa_challenges: MfaChallengesTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
}
