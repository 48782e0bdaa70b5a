export type { CollectedPoint, TestMetrics } from './metrics.js';
export { createTestMetrics } from './metrics.js';
export type { TestTracing, TestTracingOptions } from './tracing.js';
export { createTestTracing, installGlobalContext } from './tracing.js';
