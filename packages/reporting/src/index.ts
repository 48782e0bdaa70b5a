export {
  answerCollectorQuery,
  type CollectorQuery,
  collectorBackend,
  fileBackend,
  type QueryAnswer,
  type ReportBackend,
} from './backend.js';
export { type CompareInput, type CompareResult, compareBuildVsBuy } from './compare.js';
export { COMPARE_USAGE, runCompareCommand } from './compare-command.js';
export {
  type ComponentSplit,
  GPU_PART,
  OVERHEAD_PART,
  queryComponentSplit,
  type SplitRow,
  TOKENS_PART,
} from './component-split.js';
export {
  type ConsolidateOptions,
  type ConsolidationResult,
  consolidateNodes,
} from './consolidate.js';
export { CONSOLIDATE_USAGE, type ConsolidateCommandOptions, runConsolidateCommand } from './consolidate-command.js';
export { ConsolidationReplay, type ReplayRequest, type ScenarioResult } from './consolidation-replay.js';
export { EXPORT_USAGE, runExportCommand } from './export-command.js';
export {
  type ForecastBudget,
  type ForecastDimension,
  type ForecastResult,
  type ForecastRow,
  forecastMonth,
  readDailySpend,
} from './forecast.js';
export { FORECAST_USAGE, type ForecastCommandOptions, runForecastCommand } from './forecast-command.js';
export { type MonthProjection, projectMonth } from './forecast-model.js';
export { type ParsedInvoice, readInvoice } from './invoice-read.js';
export { type MarginResult, queryMargin, type RevenueEntry, readRevenue } from './margin.js';
export { queryRising, queryTop, type RisingGroup, type TopRequest } from './outliers.js';
export { exportParquet, openParquetStore } from './parquet-store.js';
export {
  type Adjustment,
  type ReconcileResult,
  type ReconcileRow,
  type RequestGroup,
  reconcile,
  type SpanSpread,
} from './reconcile.js';
export { RECONCILE_USAGE, runReconcileCommand } from './reconcile-command.js';
export { computeReconcile, type ReconcileAnswer, type ReconcileRequest } from './reconcile-compute.js';
export { queryRequestGroups, spreadSql } from './reconcile-sql.js';
export { REPORT_USAGE, runReportCommand } from './report-command.js';
export { computeReport, type ReportRequest } from './report-compute.js';
export type { ReportData } from './report-data.js';
export { splitSection } from './report-render.js';
export { type ReportSource, storeSource, type TimeRange } from './report-source.js';
export { queryResourceRows, type ResourceRow } from './resource-rows.js';
export { type NodeRow, queryRollup, type Rollup, type RollupRow } from './rollup.js';
export { openStore, type Store, StoreError } from './store.js';
export type {
  CommandIo,
  CostComponents,
  Dimension,
  InvoiceFormat,
  InvoiceIssue,
  InvoiceLine,
  NodeWindowRecord,
  TokenProfile,
} from './types.js';
export { queryWhatIf, type WhatIf, type WhatIfResult, type Where } from './what-if.js';
