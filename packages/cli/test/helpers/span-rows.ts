/** Store rows with exact, chosen costs, written with the collector's own DuckDbStore (its schema and insert path). */
import { DuckDbStore, type InferenceSpanRow } from '@costspan/collector';

let counter = 0;

export interface RowSpec {
  /** ISO instant the span starts. */
  start: string;
  /** Default 1000 ms. */
  durationMs?: number;
  costNanos: number | null;
  tenant?: string;
  feature?: string;
  node?: string;
}

export function spanRow(spec: RowSpec): InferenceSpanRow {
  counter += 1;
  const start = BigInt(Date.parse(spec.start)) * 1_000_000n;
  const end = start + BigInt(spec.durationMs ?? 1000) * 1_000_000n;
  return {
    traceId: counter.toString(16).padStart(32, '0'),
    spanId: counter.toString(16).padStart(16, '0'),
    parentSpanId: null,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    spanName: 'chat',
    serviceName: 'svc',
    operation: 'chat',
    provider: 'openai',
    requestModel: 'house-model',
    responseModel: 'house-model',
    feature: spec.feature ?? null,
    tenant: spec.tenant ?? null,
    serviceTier: null,
    inputTokens: 100,
    outputTokens: 50,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    inputAudioTokens: null,
    outputAudioTokens: null,
    webSearchRequests: null,
    pricingStatus: spec.costNanos === null ? 'unpriced' : 'priced',
    pricingReason: spec.costNanos === null ? 'unknown_model' : null,
    pricingProvider: null,
    pricingModel: null,
    pricingSource: null,
    pricingTier: null,
    costSource: 'local',
    currency: 'USD',
    costNanos: spec.costNanos,
    costInputNanos: null,
    costOutputNanos: null,
    costCacheReadNanos: null,
    costCacheWriteNanos: null,
    costRequestNanos: null,
    costGpuNanos: null,
    costIdleNanos: null,
    costOverheadNanos: null,
    gpuNode: spec.node ?? null,
    gpuSeconds: null,
    gpuConcurrency: null,
    allocationMethod: null,
    allocationFinal: null,
  };
}

/** Writes the rows to a new store file. */
export async function writeRows(path: string, specs: readonly RowSpec[]): Promise<void> {
  const store = await DuckDbStore.open(path);
  try {
    await store.insertSpans(specs.map(spanRow));
  } finally {
    await store.close();
  }
}
