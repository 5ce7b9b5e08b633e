export type { EventBus, EventFilter, EventHandler } from './types.js';
export { matchesFilter } from './types.js';
export { InProcessBus } from './in-process.js';
export { NatsBus, type NatsBusOptions, type NatsBusStats } from './nats.js';
export { streamNameOf, subjectOf } from './codec.js';
export { busErrors } from './errors.js';
