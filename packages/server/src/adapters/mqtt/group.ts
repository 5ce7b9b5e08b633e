/**
 * The shared-subscription group a node joins. The default asks for one of the installation's own:
 * two installations on one broker in the same group would split each other's sensor messages,
 * each journaling about half of them.
 */
export const AUTO_SHARED_GROUP = 'auto';

/** `mqtt.sharedGroup` as configured, with `auto` resolved from the installation id. */
export function sharedGroupOf(setting: string, installationId: () => Promise<string>): Promise<string> {
  if (setting !== AUTO_SHARED_GROUP) return Promise.resolve(setting);
  return installationId().then((id) => `vigil-${id.replace(/-/g, '')}`);
}
