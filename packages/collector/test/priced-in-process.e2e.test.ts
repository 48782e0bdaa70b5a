import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPriceBook } from '@costspan/pricing';
import { CostSpanProcessor, type CostSpanProcessorOptions } from '@costspan/processor';
import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_SUBTREE,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_SECONDS,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
} from '@costspan/semconv';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { collectorConfigFromObject } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import { type ReceivedSpan, TestUpstream, waitFor } from './helpers.js';
import { type SpanSpec, sendWithSdk } from './sdk-source.js';

/** A window-aligned instant five minutes back: the spans' own times, whatever the clock says. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
const NODE = { 'server.address': 'vllm.internal', 'server.port': 8000 };

/** A chat call through the `openai` client pointed at a self-hosted OpenAI-compatible server. */
function chat(model: string, start: number, end: number, input: number, output: number): SpanSpec {
  return {
    name: `chat ${model}`,
    start,
    end,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.response.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      'costspan.feature': 'assist',
      ...NODE,
    },
  };
}

/** The in-process door: tokens priced (a house model at $1/$2 per million), no GPU node unless given. */
function inProcess(gpu?: CostSpanProcessorOptions['gpu']) {
  return (exporting: SpanProcessor) =>
    new CostSpanProcessor({
      priceBook: createPriceBook({
        overrides: { models: [{ match: 'house-model', provider: 'openai', prices: { input: 1, output: 2 } }] },
      }),
      ...(gpu === undefined ? {} : { gpu }),
      next: exporting,
    }) as unknown as SpanProcessor;
}

const nanos = (usd: unknown) => Math.round(Number(usd) * 1e9);

describe('spans priced in-process, GPU time allocated at the collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-inproc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('allocates spans without costspan.cost.gpu once, keeps those with it, and conserves the node window', async () => {
    const upstream = await new TestUpstream().start();
    const storePath = join(dir, 'inproc.duckdb');
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
      gpu: { nodes: [{ id: 'gpu-a', hourlyRate: 3.6, startTime: T0, match: NODE }] },
    });
    const collector = await startCollector(config, { stages: costStages(config), log: () => {}, tickMs: 3_600_000 });
    const resource = { 'service.name': 'selfhosted-service' };

    // Two calls overlapping 5 s: 7.5 busy node-seconds each. The llama model is unknown to every price book
    // (unpriced in-process); the house model's tokens are priced in-process (1,000 in + 500 out = $0.002).
    const llama = chat('meta-llama/Llama-3.1-8B-Instruct', T0, T0 + 10_000, 812, 256);
    await sendWithSdk(
      collector.url,
      'protobuf',
      resource,
      [
        { name: 'POST /generate', start: T0 - 5, end: T0 + 10_005, attributes: {}, children: [llama] },
        chat('house-model', T0 + 5_000, T0 + 15_000, 1_000, 500),
      ],
      {},
      inProcess(),
    );
    // A call allocated in-process (its processor has the node): 2 s alone = $0.002, carried as is.
    const now = Date.now();
    await sendWithSdk(
      collector.url,
      'protobuf',
      resource,
      [chat('meta-llama/Llama-3.1-8B-Instruct', now - 2_000, now, 100, 10)],
      {},
      inProcess({ nodes: [{ id: 'gpu-a', hourlyRate: 3.6, startTime: now - 60_000, match: NODE }] }),
    );
    await waitFor(() => upstream.spans().length === 4, 15_000, 'spans upstream');
    const spans = upstream.spans();
    const [unpriced, house, allocated] = spans.filter((s) => s.name.startsWith('chat ')) as [
      ReceivedSpan,
      ReceivedSpan,
      ReceivedSpan,
    ];
    const parent = spans.find((s) => s.name === 'POST /generate')!;

    // unpriced in-process → priced at its GPU cost by the collector
    expect(unpriced.attributes).toMatchObject({
      [ATTR_COSTSPAN_PRICING_STATUS]: 'priced',
      [ATTR_COSTSPAN_PRICING_SOURCE]: 'gpu-node:gpu-a',
      [ATTR_GEN_AI_USAGE_COST_AMOUNT]: 0.0075,
      [ATTR_COSTSPAN_COST_GPU]: 0.0075,
      [ATTR_COSTSPAN_GPU_SECONDS]: 7.5,
      [ATTR_COSTSPAN_GPU_NODE]: 'gpu-a',
      [ATTR_COSTSPAN_ALLOCATION_FINAL]: true,
    });
    // the wrapper's subtree includes the GPU share merged in the same batch
    expect(parent.attributes[ATTR_COSTSPAN_COST_SUBTREE]).toBe(0.0075);
    // priced in-process → the GPU share is added to the token cost; the token components are kept
    expect(house.attributes).toMatchObject({
      [ATTR_COSTSPAN_PRICING_STATUS]: 'priced',
      [ATTR_GEN_AI_USAGE_COST_AMOUNT]: 0.0095,
      [ATTR_GEN_AI_USAGE_COST_SOURCE]: 'local',
      [ATTR_COSTSPAN_COST_INPUT]: 0.001,
      [ATTR_COSTSPAN_COST_GPU]: 0.0075,
      [ATTR_COSTSPAN_ALLOCATION_FINAL]: true,
    });
    // allocated in-process → never allocated again
    expect(allocated.attributes).toMatchObject({
      [ATTR_COSTSPAN_PRICING_STATUS]: 'priced',
      [ATTR_GEN_AI_USAGE_COST_AMOUNT]: 0.002,
      [ATTR_COSTSPAN_COST_GPU]: 0.002,
      [ATTR_COSTSPAN_GPU_SECONDS]: 2,
    });
    await collector.close(); // closes the open window

    const store = await DuckDbStore.open(storePath);
    try {
      const rows = await store.query(
        'SELECT span_id, request_model, feature, pricing_status, cost_nanos, cost_gpu_nanos, allocation_final FROM inference_spans',
      );
      expect(rows).toHaveLength(3);
      // the store rows and the forwarded attributes agree
      for (const span of [unpriced, house, allocated]) {
        const row = rows.find((r) => r.span_id === span.spanId)!;
        expect(row).toMatchObject({
          pricing_status: 'priced',
          feature: 'assist',
          cost_nanos: BigInt(nanos(span.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT])),
          cost_gpu_nanos: BigInt(nanos(span.attributes[ATTR_COSTSPAN_COST_GPU])),
          allocation_final: true,
        });
      }
      const windows = await store.query(
        'SELECT node, epoch_ms(window_start) AS ws, node_cost_nanos, direct_cost_nanos, idle_cost_nanos, requests FROM gpu_node_windows',
      );
      // only the two calls the collector allocated; direct + idle = node cost; Σ their GPU = direct, exactly
      expect(windows).toEqual([
        {
          node: 'gpu-a',
          ws: BigInt(T0),
          node_cost_nanos: 60_000_000n,
          direct_cost_nanos: 15_000_000n,
          idle_cost_nanos: 45_000_000n,
          requests: 2n,
        },
      ]);
      const allocatedHere = rows
        .filter((r) => r.span_id !== allocated.spanId)
        .reduce((sum, r) => sum + (r.cost_gpu_nanos as bigint), 0n);
      expect(allocatedHere).toBe(15_000_000n);
    } finally {
      await store.close();
      await upstream.stop();
    }
  });
});
