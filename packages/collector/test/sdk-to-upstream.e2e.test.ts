import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPriceBook } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_SUBTREE,
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_COSTSPAN_TENANT,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
} from '@costspan/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig, forwardConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { TestUpstream, waitFor } from './helpers.js';
import { sendWithSdk } from './sdk-source.js';

const T0 = Date.UTC(2026, 9, 1, 12, 0, 0);

function chatSpan(name: string, model: string, input: number, output: number, start: number) {
  return {
    name,
    start,
    end: start + 800,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      [ATTR_COSTSPAN_FEATURE]: 'summarize',
      [ATTR_COSTSPAN_TENANT]: 'acme',
    },
  };
}

describe.each(['protobuf', 'json'] as const)('spans from the real OTLP %s exporter', (protocol) => {
  let dir: string;
  let upstream: TestUpstream;
  let collector: RunningCollector;
  let storePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'costspan-collector-'));
    storePath = join(dir, 'costspan.duckdb');
    upstream = await new TestUpstream().start();
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 16 * 1024 * 1024 },
      forward: [forwardConfig('otlphttp/backend', upstream.url, { headers: { 'x-team': 'ml' } })],
      store: { path: storePath },
    };
    collector = await startCollector(config, { stages: costStages(config), log: () => {} });
  });

  afterAll(async () => {
    await collector?.close();
    await upstream?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('arrive upstream priced, with subtree cost on the root, and land in the store', async () => {
    await sendWithSdk(collector.url, protocol, { 'service.name': 'py-summarizer' }, [
      {
        name: 'POST /summarize',
        start: T0,
        end: T0 + 2_000,
        attributes: { 'http.request.method': 'POST' },
        children: [
          chatSpan('chat gpt-4o', 'gpt-4o', 1_000, 500, T0 + 100),
          chatSpan('chat mini', 'gpt-4o-mini', 2_000, 100, T0 + 1_000),
        ],
      },
      chatSpan('chat unknown', 'my-private-model-x', 10, 10, T0 + 3_000),
    ]);
    await waitFor(() => upstream.spans().length === 4, 15_000, 'four spans upstream');

    const book = createPriceBook();
    const expected = (model: string, input: number, output: number) => {
      const r = book.price({
        provider: 'openai',
        model,
        usage: { inputTokens: input, outputTokens: output },
        timestamp: T0,
      });
      if (r.status === 'unpriced') throw new Error(r.reason);
      return r.nanos.amount;
    };
    const a = upstream.span('chat gpt-4o');
    const b = upstream.span('chat mini');
    expect(a.attributes[ATTR_COSTSPAN_PRICING_STATUS]).toBe('priced');
    expect(a.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expected('gpt-4o', 1_000, 500) / 1e9);
    expect(b.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expected('gpt-4o-mini', 2_000, 100) / 1e9);
    const root = upstream.span('POST /summarize');
    expect(root.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeUndefined();
    expect(root.attributes[ATTR_COSTSPAN_COST_SUBTREE]).toBe(
      (expected('gpt-4o', 1_000, 500) + expected('gpt-4o-mini', 2_000, 100)) / 1e9,
    );
    const unknown = upstream.span('chat unknown');
    expect(unknown.attributes[ATTR_COSTSPAN_PRICING_STATUS]).toBe('unpriced');
    expect(unknown.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeUndefined();
    // Attributes the sender set are kept, and the configured header reached the backend.
    expect(a.attributes['gen_ai.request.model']).toBe('gpt-4o');
    expect(a.resource['service.name']).toBe('py-summarizer');
    expect(upstream.headers[0]?.['x-team']).toBe('ml');

    await collector.close();
    const store = await DuckDbStore.open(storePath);
    try {
      const rows = await store.query(
        'SELECT span_id, trace_id, service_name, provider, request_model, feature, tenant, input_tokens, output_tokens, pricing_status, cost_nanos, cost_usd FROM inference_spans ORDER BY request_model',
      );
      expect(rows).toHaveLength(3);
      const byModel = Object.fromEntries(rows.map((r) => [r.request_model, r]));
      expect(byModel['gpt-4o']).toMatchObject({
        span_id: a.spanId,
        trace_id: a.traceId,
        service_name: 'py-summarizer',
        provider: 'openai',
        feature: 'summarize',
        tenant: 'acme',
        input_tokens: 1000n,
        output_tokens: 500n,
        pricing_status: 'priced',
        cost_nanos: BigInt(expected('gpt-4o', 1_000, 500)),
      });
      expect(byModel['my-private-model-x']).toMatchObject({
        pricing_status: 'unpriced',
        cost_nanos: null,
        cost_usd: null,
      });
    } finally {
      await store.close();
    }
    expect(collector.stats()).toMatchObject({
      received: 4,
      priced: 2,
      unpriced: 1,
      exported: 4 + 3,
      refused: 0,
      dropped: 0,
    });
  });
});
