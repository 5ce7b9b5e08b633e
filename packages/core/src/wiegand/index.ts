export * from './formats.js';
export * from './codec.js';
export * from './errors.js';
