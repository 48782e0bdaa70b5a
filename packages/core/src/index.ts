// @costspan/core: the SDK-free, wire-free cost core shared by every door (CostSpanProcessor, the collector)

export {
  type AttributionKeys,
  DEFAULT_FEATURE_KEYS,
  DEFAULT_TENANT_KEYS,
  type ResolvedAttribution,
  resolveAttribution,
} from './attribution.js';
export { annotateOnce, ResponseIdWindow, type WindowOptions } from './call-dedup.js';
export {
  COST_RULES_SOURCE_PREFIX,
  ComponentPricer,
  type ComponentPricerOptions,
  type ComponentResult,
  existingComponentNanos,
  ruleSetVersion,
  writeComponentAttributes,
} from './component-pricer.js';
export {
  type AnnotateContext,
  COMPAT_SWITCHES,
  type CompatSwitch,
  type CostAnnotation,
  type CostAttributeSet,
  type CostCore,
  type CostCoreOptions,
  type CostOutcome,
  createCostCore,
  REASON_NO_USAGE,
} from './cost-core.js';
export { COST_HISTOGRAM_BOUNDARIES } from './cost-histogram.js';
export { type SpanCostNanos, spanCostNanos } from './cost-nanos.js';
export {
  type ComponentCost,
  type CostRuleConfig,
  type CostRulePrice,
  CostRuleSet,
  type DecimalAmount,
  effectiveFromMs,
} from './cost-rules.js';
export { annotateFragment, type DedupWindows, type FragmentSpanResult } from './fragment.js';
export { addFragmentCosts, type FragmentCostAddition, mergeFragmentGpuShares } from './fragment-costs.js';
export {
  addWindowPart,
  emptyPartsSum,
  exactAtEnd,
  type GpuPartsSum,
  type GpuShare,
  gpuShareAtEnd,
  gpuShareFromParts,
  gpuShareNanos,
  mergeGpuShare,
} from './gpu-share.js';
export type { InferenceDialect, InferenceUsage } from './inference-usage.js';
export { mayBeInference } from './is-inference.js';
export { isDefiniteModelCall, mayBeModelCall } from './is-model-call.js';
export { normalizeInference } from './normalize.js';
export { OpenModelCalls } from './open-calls.js';
export type { AttrMap, AttrValue, SpanRecord } from './record.js';
export {
  AnchorIndex,
  type AttributeCondition,
  type AttributeMatch,
  type CompiledMatch,
  compileMatch,
} from './rule-match.js';
export {
  type ResourceShare,
  type ResourceWindow,
  type SharedResourceConfig,
  SharedResources,
} from './shared-resources.js';
export { subtreeCost } from './subtree-cost.js';
export { OVERFLOW_TENANT, TenantCap } from './tenant-cap.js';
export { TraceCallWindow } from './trace-calls.js';
export { TWIN_TOLERANCE_MS, TwinCallWindow } from './twin-calls.js';
