import { defineErrors, errorFactory } from '@vigil/core';

export const automationErrors = defineErrors({
  'automation.rule_invalid': {
    kind: 'invalid',
    description:
      'The rule document does not match the rule schema or names something that does not exist; `details.errors` lists each problem.',
  },
  'automation.rule_loop': {
    kind: 'invalid',
    description: 'Enabling the rule would let rules trigger each other in a cycle; `details.cycle` names the rules involved.',
  },
  'automation.rule_not_found': { kind: 'not_found', description: 'No rule has this id.' },
  'automation.rule_version_conflict': {
    kind: 'conflict',
    description: 'The rule changed since the version the change was based on; reload it and apply the change again.',
  },
  'automation.correlation_not_found': { kind: 'not_found', description: 'No correlation has this id.' },
  'automation.plan_invalid': {
    kind: 'invalid',
    description: 'The emergency plan is not valid (a fire plan cannot wait for a second operator, for example).',
  },
  'automation.plan_not_found': { kind: 'not_found', description: 'No emergency plan has this id.' },
  'automation.plan_already_active': {
    kind: 'conflict',
    description:
      'The plan is already started (or waiting for confirmation); `details.activationId` is the live activation. Clear it first.',
  },
  'automation.plan_active': {
    kind: 'conflict',
    description: 'The plan is started or waiting for confirmation, so it cannot be deleted; `details.activationId` is the live activation.',
  },
  'automation.plan_in_use': {
    kind: 'conflict',
    description: 'Rules start the plan, so it cannot be deleted; `details.rules` names them. Change or delete those rules first.',
  },
  'automation.activation_not_found': { kind: 'not_found', description: 'No plan activation has this id.' },
  'automation.activation_not_pending': { kind: 'conflict', description: 'The activation is not waiting for confirmation.' },
  'automation.activation_not_active': { kind: 'conflict', description: 'The activation is not active (already cleared or cancelled).' },
  'automation.confirmation_same_operator': {
    kind: 'forbidden',
    description: 'A plan that needs a second operator must be confirmed by someone other than the operator who started it.',
  },
  'automation.fire_plan_active': {
    kind: 'conflict',
    description: 'The door is held by an active fire plan: nothing may lock it until the fire plan is cleared.',
  },
  'automation.doors_unavailable': {
    kind: 'unavailable',
    description: 'Door control is not connected on this server; door commands cannot be sent.',
  },
  'automation.channel_invalid': {
    kind: 'invalid',
    description: 'The notification channel settings are not valid (a webhook needs an http(s) URL, e-mail needs recipients).',
  },
  'automation.channel_not_found': { kind: 'not_found', description: 'No notification channel has this id.' },
  'automation.email_unavailable': {
    kind: 'unavailable',
    description: 'No SMTP server is configured (`VIGIL_SMTP_URL`), so e-mail cannot be sent.',
  },
  'automation.schedule_not_found': { kind: 'not_found', description: 'No on-call schedule has this id.' },
  'automation.chain_not_found': { kind: 'not_found', description: 'No escalation chain has this id.' },
  'automation.chain_invalid': {
    kind: 'invalid',
    description: 'An escalation chain step names a schedule or channel that does not exist on the chain’s site.',
  },
});

export const automationError = errorFactory(automationErrors);
