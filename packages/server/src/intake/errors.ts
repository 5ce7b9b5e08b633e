import { defineErrors, errorFactory } from '@vigil/core';

export const intakeErrors = defineErrors({
  'intake.queue_full': {
    kind: 'unavailable',
    description: 'Too many events are waiting to be journaled; nothing of this submission was accepted. Retry shortly.',
  },
  'intake.source_rate_limited': {
    kind: 'rate_limited',
    description: 'The source (device or actor) sent more events than its allowed rate; the excess is counted and dropped.',
  },
  'intake.submission_too_large': {
    kind: 'too_large',
    description: 'One submission holds more events than the intake queue can ever hold; split it.',
  },
  'intake.stopped': { kind: 'unavailable', description: 'The node is shutting down and accepts no more events; submit to another node.' },
  'intake.outcome_unknown': {
    kind: 'unavailable',
    description:
      'The connection to the database dropped while the events were being committed and the database did not answer whether they were; `eventIds` lists their ids. Resubmit them with these ids: what is already stored is not stored twice.',
  },
  'intake.append_failed': {
    kind: 'unavailable',
    description: 'The journal could not be written (database unavailable); nothing of this submission was journaled. Retry.',
  },
});

export const intakeError = errorFactory(intakeErrors);
