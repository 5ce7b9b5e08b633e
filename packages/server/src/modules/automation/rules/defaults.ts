/**
 * The rules a fresh installation starts with, so that a forced or propped door raises an alarm
 * before anyone has written a rule. They are ordinary rules (versioned, journaled, editable,
 * disable-able) created through the rule store once per installation; an operator who disables
 * or deletes one keeps it that way.
 */
import type { Logger } from '../../../kernel/logger.js';
import { isVigilError } from '@vigil/core';
import type { RuleDocument } from './schema.js';
import type { RuleStore } from './store.js';

/** Who the journal says created them. */
export const DEFAULTS_ACTOR = 'system:defaults';

export interface DefaultRule {
  /** Stable across releases: the installation remembers each key it seeded. */
  readonly key: string;
  readonly document: RuleDocument;
}

const raise = (type: string, priority: number, title: string) => [{ raiseAlarm: { type, priority, title } }];

export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    key: 'door_forced',
    document: {
      name: 'Door forced open',
      description:
        'A door opened with no badge, no exit request and no mode holding it unlocked. The alarm follows the door_forced procedure.',
      site: null,
      trigger: { event: 'door.forced_open' },
      actions: raise('door_forced', 2, 'Door forced open: {door}'),
    },
  },
  {
    key: 'door_held_open',
    document: {
      name: 'Door held open',
      description: 'A door stood open longer than its held-open limit (propped or wedged).',
      site: null,
      trigger: { event: 'door.held_open' },
      actions: raise('door_held_open', 3, 'Door held open: {door}'),
    },
  },
  {
    key: 'device_offline',
    document: {
      name: 'Device offline',
      description: 'A supervised sensor stopped reporting for longer than its supervision interval.',
      site: null,
      trigger: { event: 'device.went_offline' },
      actions: raise('device_offline', 3, 'Device offline ({source})'),
    },
  },
  {
    key: 'edge_agent_offline',
    document: {
      name: 'Door controller offline',
      description: 'A door controller agent stopped reporting: its doors keep working on their own but are no longer watched.',
      site: null,
      trigger: { event: 'edge.agent_offline' },
      actions: raise('edge_agent_offline', 2, 'Door controller offline ({source})'),
    },
  },
  {
    key: 'pin_locked_out',
    document: {
      name: 'PIN locked out',
      description:
        'Repeated wrong PINs locked a card out at a door controller: someone may be guessing the PIN of a found or stolen card. The card is refused until the lockout ends or is lifted.',
      site: null,
      trigger: { event: 'access.pin_locked_out' },
      actions: raise('pin_locked_out', 3, 'PIN locked out: {door}'),
    },
  },
];

/**
 * Seeds each default not seeded before. A default whose event type this server does not know
 * (yet) is skipped without being marked, so it is seeded once a release brings the event.
 */
export async function seedDefaultRules(
  store: RuleStore,
  logger: Logger,
  defaults: readonly DefaultRule[] = DEFAULT_RULES,
): Promise<string[]> {
  const created: string[] = [];
  for (const rule of defaults) {
    try {
      if (await store.createDefault(rule.key, DEFAULTS_ACTOR, { document: rule.document })) created.push(rule.key);
    } catch (e) {
      if (!isVigilError(e) || e.code !== 'automation.rule_invalid') throw e;
      logger.warn({ rule: rule.key, details: e.details }, 'default rule not seeded: this server cannot run it');
    }
  }
  return created;
}
