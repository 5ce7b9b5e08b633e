/**
 * How provisioning talks to Vigil: a few requests in flight at once (Vigil's API is the only way
 * in, and one request at a time would make a large hospital take minutes), progress reported per
 * step, and the find-by-name-or-create that makes running it twice harmless.
 */
import pMap from 'p-map';
import type { VigilClient } from '../live/vigil-client.js';

export interface Step {
  readonly api: VigilClient;
  progress(message: string): void;
  /** Runs `work` for every item, `concurrency` at a time; the first failure stops the step. */
  each<T>(label: string, items: readonly T[], work: (item: T) => Promise<void>): Promise<void>;
}

export function stepRunner(api: VigilClient, concurrency: number, progress: (message: string) => void): Step {
  return {
    api,
    progress,
    async each(label, items, work) {
      if (items.length === 0) return;
      const started = performance.now();
      await pMap(items, work, { concurrency });
      progress(`${label}: ${items.length} in ${Math.round(performance.now() - started)} ms`);
    },
  };
}

/**
 * The id of each wanted item: of the existing item with its name, or of the one created for it.
 * Names are what Vigil keeps unique, so they are what identifies an item across runs.
 */
export async function ensureNamed<W extends { key: string }>(
  step: Step,
  label: string,
  existing: readonly { id: string; name: string }[],
  wanted: readonly W[],
  nameOf: (item: W) => string,
  create: (item: W) => Promise<{ id: string }>,
): Promise<Record<string, string>> {
  const byName = new Map(existing.map((item) => [item.name, item.id]));
  const ids: Record<string, string> = {};
  const missing: W[] = [];
  for (const item of wanted) {
    const id = byName.get(nameOf(item));
    if (id) ids[item.key] = id;
    else missing.push(item);
  }
  await step.each(label, missing, async (item) => {
    ids[item.key] = (await create(item)).id;
  });
  return ids;
}
