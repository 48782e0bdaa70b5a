// The SDK door

// The shared configuration's `budgets` section (read by @costspan/node and the collector)
export { BUDGET_WINDOWS, type BudgetConfig, type BudgetWindow, parseBudgets } from './budgets-config.js';

export { CostSpanProcessor } from './cost-span-processor.js';
export type {
  AttributionKeys,
  CompatSwitch,
  CostReadableSpan,
  CostSpanProcessorOptions,
  CostWritableSpan,
  DedupOptions,
  DownstreamSpanProcessor,
  GpuConfig,
  SubtreeOptions,
} from './types.js';
export { type CostAttribution, withCostAttribution } from './with-cost-attribution.js';
