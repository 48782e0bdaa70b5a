export { BUDGET_PATH } from './budget-endpoint.js';
export { type BudgetCrossing, BudgetWebhook } from './budget-webhook.js';
export {
  type BudgetCheck,
  type BudgetStatus,
  Budgets,
  nanosToDecimal,
  openBudgets,
} from './budgets.js';
export { COLLECTOR_USAGE, type CollectorCommandIo, collectorConfigFromArgs, runCollectorCommand } from './cli.js';
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
export { CostStage, costStages } from './cost-stage.js';
export type { FinalAllocation } from './gpu-stage-state.js';
export type { PipelineBatch, PipelineSinks, PipelineStage } from './pipeline.js';
export { REPORT_QUERY_PATH, type ReportQueryAnswerer } from './report-endpoint.js';
export { SpendLedger, type SpendScope, windowEnd, windowStart } from './spend-ledger.js';
export { DuckDbStore, STORE_SCHEMA_PATH } from './store/duckdb-store.js';
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
