// The SDK door

// The shared configuration's `budgets` section (read by @costspan/node and the collector)
export { BUDGET_WINDOWS, type BudgetConfig, type BudgetWindow, parseBudgets } from './budgets-config.js';

// The cost core (no SDK types): shared with the collector and any other door
export {
  DEFAULT_FEATURE_KEYS,
  DEFAULT_TENANT_KEYS,
  type ResolvedAttribution,
  resolveAttribution,
} from './core/attribution.js';
export { annotateOnce, ResponseIdWindow, type WindowOptions } from './core/call-dedup.js';
export {
  type AnnotateContext,
  COMPAT_SWITCHES,
  type CostAnnotation,
  type CostAttributeSet,
  type CostCore,
  type CostCoreOptions,
  type CostOutcome,
  createCostCore,
  REASON_NO_USAGE,
} from './core/cost-core.js';
export { annotateFragment, type DedupWindows, type FragmentSpanResult } from './core/fragment.js';
export {
  allocationUsage,
  exactAtEnd,
  type GpuShare,
  gpuShareAtEnd,
  gpuShareFromParts,
  gpuShareNanos,
  mergeGpuShare,
} from './core/gpu-share.js';
export type { InferenceDialect, InferenceUsage } from './core/inference-usage.js';
export { mayBeInference } from './core/is-inference.js';
export { isDefiniteModelCall, mayBeModelCall } from './core/is-model-call.js';
export { costMetricAttributes, unpricedMetricAttributes } from './core/metric-attributes.js';
export { amountToNanos, COST_HISTOGRAM_BOUNDARIES } from './core/money.js';
export { normalizeInference } from './core/normalize.js';
export { OpenModelCalls } from './core/open-calls.js';
export { otelProviderName } from './core/provider-name.js';
export type { AttrMap, AttrValue, SpanRecord } from './core/record.js';
export { SubtreeCostTracker, type SubtreeEntry, type SubtreeTrackerOptions } from './core/subtree-tracker.js';
export { OVERFLOW_TENANT, TenantCap } from './core/tenant-cap.js';
export { TraceCallWindow } from './core/trace-calls.js';
export { TWIN_TOLERANCE_MS, TwinCallWindow } from './core/twin-calls.js';
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
