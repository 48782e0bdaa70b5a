export { type StartOptions, startCollector } from './collector.js';
export {
  type CollectorConfigSourceOptions,
  collectorConfigFromObject,
  DEFAULT_LISTEN,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_QUEUE_BYTES,
  DEFAULT_QUEUE_SIZE,
  defaultCollectorConfig,
  forwardConfig,
  loadCollectorConfig,
} from './config.js';
export { CollectorConfigError } from './config-error.js';
export { type CollectorFlags, collectorConfigFromFlags } from './config-flags.js';
export { costStages } from './cost-stage.js';
export type { FinalAllocation } from './gpu-stage-state.js';
export type { PipelineBatch, PipelineSinks, PipelineStage } from './pipeline.js';
export type { ReportQueryAnswerer } from './report-endpoint.js';
export { DuckDbStore } from './store/duckdb-store.js';
export type { InferenceSpanRow, NodeWindowRow } from './store/rows.js';
export type {
  CollectorConfig,
  CollectorStats,
  DebugConfig,
  ForwardConfig,
  ForwardProtocol,
  ReceiverConfig,
  RetryConfig,
  RunningCollector,
  StoreConfig,
  TelemetryConfig,
} from './types.js';
