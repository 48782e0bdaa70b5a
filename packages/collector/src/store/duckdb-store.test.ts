import { describe, expect, it } from 'vitest';
import { DuckDbStore } from './duckdb-store.js';
import type { InferenceSpanRow } from './rows.js';

function row(i: number): InferenceSpanRow {
  return {
    traceId: i.toString(16).padStart(32, '0'),
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: null,
    startTimeUnixNano: '1759320000000000000',
    endTimeUnixNano: '1759320000250000000',
    spanName: 'chat',
    serviceName: 'svc',
    operation: 'chat',
    provider: 'openai',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini',
    feature: 'search',
    tenant: 'acme',
    serviceTier: null,
    inputTokens: 100 + i,
    outputTokens: 20,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    inputAudioTokens: null,
    outputAudioTokens: null,
    webSearchRequests: null,
    pricingStatus: 'priced',
    pricingReason: null,
    pricingProvider: 'openai',
    pricingModel: 'gpt-4o-mini',
    pricingSource: 'catalog',
    pricingTier: null,
    costSource: 'local',
    currency: 'USD',
    costNanos: 1_000 + i,
    costInputNanos: 1_000,
    costOutputNanos: i,
    costCacheReadNanos: null,
    costCacheWriteNanos: null,
    costRequestNanos: null,
    costGpuNanos: null,
    costIdleNanos: null,
    costOverheadNanos: null,
    gpuNode: null,
    gpuSeconds: null,
    gpuConcurrency: null,
    allocationMethod: null,
    allocationFinal: null,
  };
}

describe('DuckDbStore span writes', () => {
  it('stores each span once across retried and concurrent (coalesced) batches, values intact', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      expect(await store.insertSpans([row(1), row(2), row(3)], 1_759_320_000_000)).toBe(3);
      // A retried batch overlapping what is stored: only the new span is added.
      expect(await store.insertSpans([row(2), row(3), row(4)])).toBe(1);
      // Concurrent calls are written together; a span in both is stored once.
      await Promise.all([store.insertSpans([row(5), row(6)]), store.insertSpans([row(6), row(7), row(7)])]);
      expect(store.spansAdded).toBe(7);
      const rows = await store.query(
        'SELECT span_id, input_tokens, cost_nanos, start_time, received_at FROM inference_spans ORDER BY span_id',
      );
      expect(rows).toHaveLength(7);
      expect(rows[0]).toMatchObject({ span_id: '0000000000000001', input_tokens: 101n, cost_nanos: 1001n });
      expect((rows[0]!.start_time as Date).toISOString()).toBe('2025-10-01T12:00:00.000Z');
      expect((rows[0]!.received_at as Date).toISOString()).toBe('2025-10-01T12:00:00.000Z');
    } finally {
      await store.close();
    }
  });

  it('rejects the writes of a closed store instead of losing them silently', async () => {
    const store = await DuckDbStore.open(':memory:');
    await store.close();
    await expect(store.insertSpans([row(1)])).rejects.toThrow(/closed/);
  });
});
