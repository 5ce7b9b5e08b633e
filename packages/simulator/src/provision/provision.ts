/**
 * `provisionHospital(model, { baseUrl, apiToken })`: loads a generated hospital into a running
 * Vigil through its public HTTP API only, the way an integrator would, and returns the id Vigil
 * gave every keyed thing. Running it again against the same Vigil finds the site by name and
 * everything in it by name (persons by employee or external id), creates only what is missing
 * and returns the same ids.
 */
import type { HospitalModel, ProvisionedHospital } from '../model.js';
import { simulatorError } from '../errors.js';
import { VigilClient, type VigilClientOptions } from '../live/vigil-client.js';
import { ensureFacility, ensureSite } from './facility.js';
import { ensurePersons } from './people.js';
import { PROVISIONING_PERMISSIONS } from './permissions.js';
import { ensureDirectory, ensurePolicy } from './policy.js';
import { stepRunner } from './steps.js';

export interface ProvisionOptions {
  readonly baseUrl: string;
  /** A `vgl_` API token with PROVISIONING_PERMISSIONS on every site (`*`). */
  readonly apiToken: string;
  readonly fetch?: typeof fetch;
  /** Per request; a Vigil that does not answer within it is unreachable (default 15 s). */
  readonly timeoutMs?: number;
  /** For the one request that imports every person and card (default 5 minutes). */
  readonly importTimeoutMs?: number;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Called after each step with a line saying what was created and how long it took. */
  readonly onProgress?: (message: string) => void;
}

interface WhoAmI {
  permissions: string[];
  grants: { role: string; site: string }[];
}

/** Throws `simulator.permissions_missing` when the token cannot do everything provisioning needs. */
async function checkToken(api: VigilClient): Promise<void> {
  const me = await api.get<WhoAmI>('/api/auth/me');
  const missing = PROVISIONING_PERMISSIONS.filter((p) => !me.permissions.includes(p));
  const everySite = me.grants.some((g) => g.site === '*');
  if (missing.length > 0 || !everySite) {
    throw simulatorError(
      'simulator.permissions_missing',
      `The API token needs ${PROVISIONING_PERMISSIONS.join(', ')} on every site (*)${missing.length > 0 ? `; it lacks ${missing.join(', ')}` : '; it is limited to some sites'}`,
      { missing, required: PROVISIONING_PERMISSIONS, everySite },
    );
  }
}

export async function provisionHospital(model: HospitalModel, options: ProvisionOptions): Promise<ProvisionedHospital> {
  const client: VigilClientOptions = {
    baseUrl: options.baseUrl,
    token: options.apiToken,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const api = new VigilClient(client);
  const step = stepRunner(api, options.concurrency ?? 8, options.onProgress ?? (() => {}));

  await checkToken(api);
  const siteId = await ensureSite(api, model);
  const facility = await ensureFacility(step, client, siteId, model);
  const directory = await ensureDirectory(step, model);
  const policy = await ensurePolicy(step, siteId, model, facility.doors);
  const persons = await ensurePersons(step, client, siteId, model, policy.accessGroups, options.importTimeoutMs ?? 300_000);

  return {
    model,
    baseUrl: api.baseUrl,
    apiToken: options.apiToken,
    siteId,
    ids: { ...facility, ...directory, ...policy, persons },
  };
}
