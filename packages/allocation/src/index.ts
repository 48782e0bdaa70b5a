export { type AllocatePeriodOptions, allocatePeriod } from './allocate-period.js';
export {
  DEFAULT_MAX_HELD_SPANS,
  DEFAULT_MAX_REQUEST_AGE_MS,
  DEFAULT_TOKEN_WEIGHTS,
  DEFAULT_WINDOW_MS,
  GpuConfigError,
  type GpuConfigIssue,
  loadGpuConfigFile,
  MAX_WINDOW_MS,
  resolveGpuConfig,
} from './config.js';
export { GpuAllocator, type GpuAllocatorOptions } from './gpu-allocator.js';
export { DCGM_METRICS, parseDcgmMetrics } from './hardware/dcgm.js';
export type { GpuSample, HardwareSource } from './hardware/gpu-sample.js';
export {
  type GpuUtilizationSummary,
  HardwareSampler,
  type HardwareSamplerOptions,
  type HardwareSamplerSource,
} from './hardware/hardware-sampler.js';
export { NVIDIA_SMI_ARGS, NVIDIA_SMI_QUERY, parseNvidiaSmi } from './hardware/nvidia-smi.js';
export { largestRemainder, nodeCostMicros } from './money.js';
export { monthlyBudgetMicros } from './monthly-budget.js';
export { type AttributeRecord, createNodeMatcher, type NodeMatcher } from './node-matcher.js';
export { rationalFromDecimal, rationalFromNumber } from './rational.js';
export { methodWeight, REQUEST_WEIGHT } from './request-weight.js';
export {
  HOURS_PER_MONTH,
  resourceHourlyRate,
  type SharedResourceMethod,
  type SharedResourceRates,
  sharedResourceConfig,
} from './shared-resource.js';
export type {
  AllocationEstimate,
  AllocationMethod,
  AllocationMode,
  AllocationUsage,
  AllocatorStats,
  GpuConfig,
  GpuNodeConfig,
  GpuNodeMatch,
  IdlePolicy,
  NodeWindowRecord,
  OverheadConfig,
  Rational,
  RequestAllocation,
  RequestInterval,
  RequestWindowPart,
  ResolvedGpuConfig,
  ResolvedGpuNode,
  ResolvedOverhead,
  TokenWeights,
  WindowClose,
} from './types.js';
export { microsToAmount, microsToNanos } from './units.js';
export { allocateWindow, type NodeWindowInput, type WindowRequest } from './window-allocate.js';
