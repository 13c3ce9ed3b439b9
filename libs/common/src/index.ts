export * from './errors/index.js';
export * from './ids/index.js';
export * from './validation/index.js';
export { METRICS_REGISTRY } from './metrics.js';
export * from './directory/index.js';
export * from './events/index.js';
export * from './http/index.js';
export * from './mongo/index.js';
