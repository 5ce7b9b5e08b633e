/**
 * Use-it-or-lose-it: credentials nobody has used for N days are a standing risk (a card in a
 * drawer, a leaver nobody told security about), so the people module deactivates them. This lists
 * the candidates; deactivating is the caller's decision.
 */
import type { CredentialInput } from './model.js';

export interface DormantCredential {
  readonly credentialId: string;
  readonly personId: string;
  /** Last use, or null when never used (then counted from issue). */
  readonly lastUsedAt: Date | null;
  readonly idleDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Active credentials unused for at least `days` days at `now`. A credential never used counts from
 * its `issuedAt`; one with neither a use nor an issue date is listed, since nothing shows it in use.
 */
export function dormantCredentials(
  credentials: readonly CredentialInput[],
  lastUse: ReadonlyMap<string, Date>,
  now: Date,
  days: number,
): DormantCredential[] {
  const threshold = days * DAY_MS;
  const out: DormantCredential[] = [];
  for (const credential of credentials) {
    if (credential.status !== 'active') continue;
    const used = lastUse.get(credential.id) ?? null;
    const since = used?.getTime() ?? (credential.issuedAt ? Date.parse(credential.issuedAt) : Number.NEGATIVE_INFINITY);
    const idle = now.getTime() - since;
    if (idle >= threshold) {
      out.push({
        credentialId: credential.id,
        personId: credential.personId,
        lastUsedAt: used,
        idleDays: Number.isFinite(idle) ? Math.floor(idle / DAY_MS) : Number.POSITIVE_INFINITY,
      });
    }
  }
  return out.sort((a, b) => b.idleDays - a.idleDays || a.credentialId.localeCompare(b.credentialId));
}
