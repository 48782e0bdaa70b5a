/** A row of `inference_spans` (see sql/store-schema.sql). Money in integer nano-dollars. */
export interface InferenceSpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** Nanoseconds since the epoch, decimal (exact). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  spanName: string | null;
  serviceName: string | null;
  operation: string | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  feature: string | null;
  tenant: string | null;
  serviceTier: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
  inputAudioTokens: number | null;
  outputAudioTokens: number | null;
  webSearchRequests: number | null;
  pricingStatus: string;
  pricingReason: string | null;
  pricingProvider: string | null;
  pricingModel: string | null;
  pricingSource: string | null;
  pricingTier: string | null;
  costSource: string | null;
  currency: string | null;
  costNanos: number | null;
  costInputNanos: number | null;
  costOutputNanos: number | null;
  costCacheReadNanos: number | null;
  costCacheWriteNanos: number | null;
  costRequestNanos: number | null;
  costGpuNanos: number | null;
  costIdleNanos: number | null;
  costOverheadNanos: number | null;
  gpuNode: string | null;
  gpuSeconds: number | null;
  gpuConcurrency: number | null;
  allocationMethod: string | null;
  allocationFinal: boolean | null;
}

/** A row of `gpu_node_windows`. Money in integer nano-dollars. */
export interface NodeWindowRow {
  node: string;
  /** ms since the epoch, inclusive. */
  windowStart: number;
  /** ms since the epoch, exclusive. */
  windowEnd: number;
  currency: string;
  nodeCostNanos: number;
  directCostNanos: number;
  idleCostNanos: number;
  idleSharedCostNanos: number;
  overheadCostNanos: number;
  busySeconds: number;
  utilization: number;
  requests: number;
  method: string;
  idlePolicy: string;
}
