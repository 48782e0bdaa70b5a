// The SDK door

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
