import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_COSTSPAN_ALLOCATION_METHOD,
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_SECONDS,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
} from '@costspan/semconv';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { collectorConfigFromObject } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import { TestUpstream, waitFor } from './helpers.js';
import { type SpanSpec, sendWithSdk } from './sdk-source.js';

const T0 = Date.UTC(2026, 9, 1, 12, 0, 0);

/** A span as vLLM's server tracing emits it (deprecated gen_ai names plus gen_ai.latency.*). */
function vllmRequest(start: number, end: number, prompt: number, completion: number): SpanSpec {
  return {
    name: 'llm_request',
    start,
    end,
    attributes: {
      'gen_ai.response.model': 'meta-llama/Llama-3.1-8B-Instruct',
      'gen_ai.request.id': `cmpl-${start}`,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.usage.prompt_tokens': prompt,
      'gen_ai.usage.completion_tokens': completion,
      'gen_ai.latency.time_in_queue': 0.004,
      'gen_ai.latency.time_to_first_token': 0.03,
      'gen_ai.latency.e2e': (end - start) / 1000,
    },
  };
}

describe('vLLM spans through the collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-vllm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carry their GPU time share, and the store holds exact final figures and the window record', async () => {
    const upstream = await new TestUpstream().start();
    const storePath = join(dir, 'gpu.duckdb');
    const config = collectorConfigFromObject({
      receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
      processors: { costspan: { window_grace: '10m' } },
      exporters: { 'otlphttp/backend': { endpoint: upstream.url }, duckdb: { path: storePath } },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['otlphttp/backend', 'duckdb'] },
        },
      },
      // $3.60/h = $0.001 per second, billed from T0.
      gpu: { nodes: [{ id: 'gpu-a', hourlyRate: 3.6, startTime: T0, match: { resource: { 'host.name': 'gpu-a' } } }] },
    });
    const collector = await startCollector(config, { stages: costStages(config), log: () => {}, tickMs: 3_600_000 });
    // Two requests overlap for 5 s: each has 5 s alone and half of 5 s shared = 7.5 busy node-seconds.
    await sendWithSdk(collector.url, 'protobuf', { 'service.name': 'vllm', 'host.name': 'gpu-a' }, [
      vllmRequest(T0, T0 + 10_000, 812, 256),
      vllmRequest(T0 + 5_000, T0 + 15_000, 400, 128),
    ]);
    await waitFor(() => upstream.spans().length === 2, 15_000, 'vLLM spans upstream');
    for (const span of upstream.spans()) {
      expect(span.attributes[ATTR_COSTSPAN_PRICING_STATUS]).toBe('priced');
      expect(span.attributes[ATTR_COSTSPAN_GPU_NODE]).toBe('gpu-a');
      expect(span.attributes[ATTR_COSTSPAN_ALLOCATION_METHOD]).toBe('time');
      expect(span.attributes[ATTR_COSTSPAN_GPU_SECONDS]).toBe(7.5);
      expect(span.attributes[ATTR_COSTSPAN_COST_GPU]).toBe(0.0075);
      expect(span.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(0.0075);
    }
    await collector.close(); // closes the open window

    const store = await DuckDbStore.open(storePath);
    try {
      const rows = await store.query(
        'SELECT gpu_node, cost_gpu_nanos, cost_nanos, allocation_final, input_tokens, provider FROM inference_spans ORDER BY start_time',
      );
      expect(rows).toEqual([
        {
          gpu_node: 'gpu-a',
          cost_gpu_nanos: 7_500_000n,
          cost_nanos: 7_500_000n,
          allocation_final: true,
          input_tokens: 812n,
          provider: 'vllm',
        },
        {
          gpu_node: 'gpu-a',
          cost_gpu_nanos: 7_500_000n,
          cost_nanos: 7_500_000n,
          allocation_final: true,
          input_tokens: 400n,
          provider: 'vllm',
        },
      ]);
      const windows = await store.query(
        'SELECT node, epoch_ms(window_start) AS ws, node_cost_nanos, direct_cost_nanos, idle_cost_nanos, busy_seconds, utilization, requests FROM gpu_node_windows',
      );
      expect(windows).toEqual([
        {
          node: 'gpu-a',
          ws: BigInt(T0),
          node_cost_nanos: 60_000_000n,
          direct_cost_nanos: 15_000_000n,
          idle_cost_nanos: 45_000_000n,
          busy_seconds: 15,
          utilization: 0.25,
          requests: 2n,
        },
      ]);
    } finally {
      await store.close();
      await upstream.stop();
    }
  });
});
