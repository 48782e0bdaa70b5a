export { type CostAttribution, withCostAttribution } from '@costspan/processor';
export { type BudgetDecision, type CheckBudgetOptions, checkBudget, clearBudgetCache } from './check-budget.js';
export {
  CostspanConfigError,
  type CostspanConfigIssue,
  type CostspanConfigSources,
  type ResolvedCostspanConfig,
  resolveCostspanConfig,
} from './costspan-config.js';
export { INSTRUMENTATION_NAMES } from './instrumentation-selection.js';
export { registerLoaderHook } from './loader-hook.js';
export { getCostspan, startCostspan } from './start-costspan.js';
export type {
  CostspanAttributionConfig,
  CostspanConfig,
  CostspanHandle,
  CostspanInstrumentationOptions,
  CostspanOptions,
  InstrumentationName,
} from './types.js';
