import { defineErrors, errorFactory } from '@vigil/core';

export const busErrors = defineErrors({
  'bus.unavailable': {
    kind: 'unavailable',
    description: 'The event bus (NATS) is not connected; the events are safe in the journal and the relay publishes them once it is back.',
  },
  'bus.publish_failed': {
    kind: 'unavailable',
    description: 'NATS did not confirm storing an event in the stream; the relay retries from the journal.',
  },
});

export const busError = errorFactory(busErrors);
