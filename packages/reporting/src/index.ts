export { ADJUSTMENTS_TABLE, RECONCILIATIONS_TABLE } from './adjustments-store.js';
export { type CompareInput, type CompareResult, compareBuildVsBuy, measureNode } from './compare.js';
export { COMPARE_USAGE, runCompareCommand } from './compare-command.js';
export {
  type ConsolidateOptions,
  type ConsolidationResult,
  consolidateNodes,
} from './consolidate.js';
export { CONSOLIDATE_USAGE, type ConsolidateCommandOptions, runConsolidateCommand } from './consolidate-command.js';
export { ConsolidationReplay, type ReplayRequest, type ScenarioResult } from './consolidation-replay.js';
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
export { detectInvoiceFormat, type ParsedInvoice, readInvoice } from './invoice-read.js';
export { computeMargin, type MarginResult, readRevenue } from './margin.js';
export {
  displayUsd,
  formatUsd,
  largestRemainder,
  parseCents,
  parseDecimalToUnits,
  parseUsd,
  UNITS_PER_USD,
} from './money.js';
export { type RisingGroup, risingGroups, type TopRequest, topRequests } from './outliers.js';
export { type Adjustment, type ReconcileResult, type ReconcileRow, reconcile } from './reconcile.js';
export { RECONCILE_USAGE, runReconcileCommand } from './reconcile-command.js';
export { REPORT_USAGE, runReportCommand } from './report-command.js';
export { type NodeRow, type Rollup, type RollupRow, rollup } from './rollup.js';
export { openStore, type Store, StoreError } from './store.js';
export { readNodeWindows, readRequests } from './store-read.js';
export type {
  CommandIo,
  CostComponents,
  Dimension,
  InvoiceFormat,
  InvoiceIssue,
  InvoiceLine,
  NodeWindowRecord,
  RequestRecord,
  TokenProfile,
} from './types.js';
export { parseWhatIf, runWhatIf, type WhatIf, type WhatIfResult } from './what-if.js';
