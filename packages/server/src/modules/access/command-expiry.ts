/** Door and output commands share one life: pending until an agent carries them out or they expire. */
import type { Executor } from './context.js';

/** Marks the site's pending commands past their expiry as expired, so agents never act on a stale one. */
export async function expirePendingCommands(
  db: Executor,
  table: 'access_door_commands' | 'access_output_commands',
  siteId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ status: 'expired', completed_at: now })
    .where('site_id', '=', siteId)
    .where('status', '=', 'pending')
    .where('expires_at', '<', now)
    .execute();
}
