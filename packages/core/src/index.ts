export * from './errors.js';
export * from './ids.js';
export * from './events.js';
export * from './wiegand/index.js';
export * from './schedule/index.js';
export * from './access/index.js';
