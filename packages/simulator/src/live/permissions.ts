/**
 * What the live simulator's API token must be allowed to do, and why. Provisioning needs its own
 * (`PROVISIONING_PERMISSIONS`); the token `vigil sim run` uses needs both.
 */
export const LIVE_PERMISSIONS = [
  /** Who-am-I: the up-front check that names any missing permission. */
  'account.self',
  'facility.read',
  /** Registering the door controllers, writing the scenarios' rules and emergency plans. */
  'facility.manage',
  /** Casting: whether a person is still active. */
  'people.read',
  /** The terminated-badge scenario. */
  'people.terminate',
  /** Reading back the alarms a scenario raised. */
  'alarms.handle',
  /** The Code Pink drill, and clearing a fire plan the panel started. */
  'emergency.start',
  /** Watching the journal on the live stream. */
  'journal.read',
] as const;
