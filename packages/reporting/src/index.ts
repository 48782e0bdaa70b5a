export {
  answerCollectorQuery,
  type CollectorQuery,
  collectorBackend,
  fileBackend,
  type QueryAnswer,
  type ReportBackend,
} from './backend.js';
export {
  type CompareInput,
  type CompareResult,
  compareBuildVsBuy,
  measureNode,
  parseThroughput,
} from './compare.js';
export {
  type ComponentSplit,
  GPU_PART,
  OVERHEAD_PART,
  queryComponentSplit,
  type SplitRow,
  TOKENS_PART,
} from './component-split.js';
export { type ConsolidateOptions, type ConsolidationResult, consolidateNodes } from './consolidate.js';
export { ConsolidationReplay, type ReplayRequest, type ScenarioResult } from './consolidation-replay.js';
export {
  type ForecastBudget,
  type ForecastDimension,
  type ForecastResult,
  type ForecastRow,
  forecastMonth,
  readDailySpend,
} from './forecast.js';
export { INTERVAL_LEVEL, type MonthProjection, projectMonth } from './forecast-model.js';
export { renderHtmlReport } from './html-report.js';
export { InputError } from './input-error.js';
export { type ParsedInvoice, readInvoice } from './invoice-read.js';
export { type MarginResult, queryMargin, type RevenueEntry, readRevenue } from './margin.js';
export { queryRising, queryTop, type RisingGroup, type TopRequest } from './outliers.js';
export { exportParquet, openParquetStore } from './parquet-store.js';
export { dayOf, monthOf, type Period, parseDateArg, parsePeriod } from './period.js';
export { DEFAULT_TARGET_MARGIN, type PriceFloorOptions } from './price-floors.js';
export {
  type Adjustment,
  type ReconcileResult,
  type ReconcileRow,
  type RequestGroup,
  reconcile,
  type SpanSpread,
} from './reconcile.js';
export { computeReconcile, type ReconcileAnswer, type ReconcileRequest } from './reconcile-compute.js';
export { queryRequestGroups, spreadSql } from './reconcile-sql.js';
export { computeReport, type ReportRequest, storeTimeBounds } from './report-compute.js';
export type { ReportData } from './report-data.js';
export { reportCsv, reportJson, reportTable, splitSection } from './report-render.js';
export { type ReportSource, sourceOfStore, storeSource, type TimeRange } from './report-source.js';
export { queryResourceRows, type ResourceRow } from './resource-rows.js';
export { type NodeRow, queryRollup, type Rollup, type RollupRow } from './rollup.js';
export { openStore, type Store, StoreError } from './store.js';
export { queryNodeProfile, readNodeWindows } from './store-read.js';
export { textTable } from './text-table.js';
export {
  type CostComponents,
  DIMENSIONS,
  type Dimension,
  type InvoiceFormat,
  type InvoiceIssue,
  type InvoiceLine,
  type NodeWindowRecord,
  type TokenProfile,
} from './types.js';
export {
  parseWhatIf,
  parseWhere,
  queryWhatIf,
  type WhatIf,
  type WhatIfResult,
  type Where,
} from './what-if.js';
