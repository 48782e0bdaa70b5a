/**
 * Non-model spans through the collector: a vector search priced by a rule, searches on a shared Qdrant pod
 * (a `resources:` entry) and a model call in one request. The collector writes the same attributes as the
 * in-process processor, the root's `costspan.cost.subtree` holds the whole request once, and the store gets
 * `component_spans` and `resource_windows` rows whose money conserves to the nano-dollar.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostSpanProcessor } from '@costspan/processor';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { collectorConfigFromObject } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import { type ReceivedSpan, TestUpstream, waitFor } from './helpers.js';
import { type SpanSpec, sendWithSdk } from './sdk-source.js';

/** A window-aligned instant five minutes back. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;

const COSTS = [
  {
    name: 'vector-search',
    component: 'retrieval',
    match: { 'db.system.name': 'pinecone', 'db.operation.name': 'query' },
    price: { perCall: 0.00008 },
  },
];
const RESOURCES = [
  {
    id: 'qdrant-pod',
    component: 'retrieval',
    hourlyRate: 3.6,
    startTime: T0,
    match: { 'db.system.name': 'qdrant' },
    method: 'requests',
  },
];

function request(offset: number, trace: string): SpanSpec {
  const t = T0 + offset;
  return {
    name: `POST /ask ${trace}`,
    start: t,
    end: t + 3_000,
    attributes: { 'costspan.feature': 'rag' },
    children: [
      {
        name: 'pinecone query',
        start: t + 10,
        end: t + 60,
        attributes: { 'db.system.name': 'pinecone', 'db.operation.name': 'query', 'costspan.feature': 'rag' },
      },
      {
        name: 'qdrant search',
        start: t + 100,
        end: t + 200,
        attributes: { 'db.system.name': 'qdrant', 'db.operation.name': 'search', 'costspan.feature': 'rag' },
      },
      {
        name: 'chat gpt-4o',
        start: t + 300,
        end: t + 2_900,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 100,
          'costspan.feature': 'rag',
        },
      },
    ],
  };
}

const byName = (spans: ReceivedSpan[], name: string) => spans.find((s) => s.name === name)!;

describe('cost rules and shared resources through the collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-components-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prices the spans around the model as in-process, sums the request on its root, stores exact rows', async () => {
    const upstream = await new TestUpstream().start();
    const storePath = join(dir, 'components.duckdb');
    const config = collectorConfigFromObject({
      receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
      processors: { costspan: { window_grace: '10m' } },
      exporters: { 'otlphttp/backend': { endpoint: upstream.url }, duckdb: { path: storePath } },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['otlphttp/backend', 'duckdb'] },
        },
      },
      costs: COSTS,
      resources: RESOURCES,
    });
    const collector = await startCollector(config, { stages: costStages(config), log: () => {}, tickMs: 3_600_000 });
    const resource = { 'service.name': 'rag-service' };
    // Request A priced at the collector; request B priced in-process with the same configuration: the collector
    // keeps its figures (a resource is billed by the door that allocates it; configure it in one door only).
    await sendWithSdk(collector.url, 'protobuf', resource, [request(0, 'A')]);
    await sendWithSdk(
      collector.url,
      'protobuf',
      resource,
      [request(10_000, 'B')],
      {},
      (exporting) =>
        new CostSpanProcessor({
          costs: COSTS,
          resources: RESOURCES as never,
          next: exporting,
        }) as unknown as SpanProcessor,
    );
    await waitFor(() => upstream.spans().length === 8, 15_000, 'spans upstream');
    const spans = upstream.spans();
    const a = spans.filter((s) => s.traceId === byName(spans, 'POST /ask A').traceId);
    const b = spans.filter((s) => s.traceId === byName(spans, 'POST /ask B').traceId);

    for (const trace of [a, b]) {
      const search = byName(trace, 'pinecone query').attributes;
      expect(search).toMatchObject({
        'costspan.cost.amount': 0.00008,
        'costspan.cost.currency': 'USD',
        'costspan.cost.component': 'retrieval',
        'costspan.cost.rule': 'vector-search',
      });
      expect(search['gen_ai.usage.cost.amount']).toBeUndefined();
      expect(byName(trace, 'chat gpt-4o').attributes['gen_ai.usage.cost.amount']).toBe(0.0035);
    }
    // Identical provenance in both doors: the same rule set has the same version.
    expect(byName(a, 'pinecone query').attributes['costspan.pricing.source']).toBe(
      byName(b, 'pinecone query').attributes['costspan.pricing.source'],
    );
    // Qdrant shares are computed at the collector (provisional until the window closes).
    const qdrantA = byName(a, 'qdrant search').attributes;
    expect(qdrantA).toMatchObject({ 'costspan.cost.rule': 'qdrant-pod', 'costspan.allocation.final': false });
    // The root: model + rule + resource share, each once.
    const rootA = byName(a, 'POST /ask A').attributes['costspan.cost.subtree'];
    const qdrantNanos = Math.round(Number(qdrantA['costspan.cost.amount']) * 1e9);
    expect(Math.round(Number(rootA) * 1e9)).toBe(3_500_000 + 80_000 + qdrantNanos);
    // Priced in-process: the collector's recomputed subtree counts the carried component costs once too.
    const qdrantB = Math.round(Number(byName(b, 'qdrant search').attributes['costspan.cost.amount']) * 1e9);
    const rootB = byName(b, 'POST /ask B').attributes['costspan.cost.subtree'];
    expect(Math.round(Number(rootB) * 1e9)).toBe(3_500_000 + 80_000 + qdrantB);
    await collector.close(); // closes the open windows

    const store = await DuckDbStore.open(storePath);
    try {
      const components = await store.query(
        'SELECT span_name, feature, component, rule, rule_kind, rule_version, cost_nanos, cost_idle_nanos, allocation_final FROM component_spans ORDER BY span_name, start_time',
      );
      const version = String(byName(a, 'pinecone query').attributes['costspan.pricing.source']).split('@')[1];
      expect(components.filter((r) => r.rule === 'vector-search')).toEqual([
        {
          span_name: 'pinecone query',
          feature: 'rag',
          component: 'retrieval',
          rule: 'vector-search',
          rule_kind: 'rule',
          rule_version: version,
          cost_nanos: 80_000n,
          cost_idle_nanos: null,
          allocation_final: null,
        },
        {
          span_name: 'pinecone query',
          feature: 'rag',
          component: 'retrieval',
          rule: 'vector-search',
          rule_kind: 'rule',
          rule_version: version,
          cost_nanos: 80_000n,
          cost_idle_nanos: null,
          allocation_final: null,
        },
      ]);
      const shares = components.filter((r) => r.rule === 'qdrant-pod');
      expect(shares).toHaveLength(2);
      for (const s of shares) expect(s).toMatchObject({ rule_kind: 'resource', rule_version: version });
      // A's share was allocated here and made final when its window closed; B's is stored as it came.
      const shareA = shares.find((r) => r.allocation_final === true)!;
      expect(shares.filter((r) => r.allocation_final === false)).toHaveLength(1);
      // Never a model row for a component span, and the model rows are there.
      const models = await store.query('SELECT span_name FROM inference_spans');
      expect(models.map((r) => r.span_name)).toEqual(['chat gpt-4o', 'chat gpt-4o']);
      const windows = await store.query(
        'SELECT resource, component, resource_cost_nanos, direct_cost_nanos, idle_cost_nanos, requests, method FROM resource_windows WHERE requests > 0',
      );
      // $3.60/h × 60 s = $0.06; A's search in the window starting at T0.
      expect(windows).toEqual([
        {
          resource: 'qdrant-pod',
          component: 'retrieval',
          resource_cost_nanos: 60_000_000n,
          direct_cost_nanos: windows[0]!.direct_cost_nanos,
          idle_cost_nanos: 60_000_000n - (windows[0]!.direct_cost_nanos as bigint),
          requests: 1n,
          method: 'requests',
        },
      ]);
      // Conservation: the shares + the idle line = the resource's bill, to the nano-dollar.
      expect((shareA.cost_nanos as bigint) + (windows[0]!.idle_cost_nanos as bigint)).toBe(60_000_000n);
      const bill = await store.query('SELECT sum(resource_cost_nanos) AS total, count(*) AS n FROM resource_windows');
      expect(bill[0]!.total).toBe(BigInt(60_000_000) * (bill[0]!.n as bigint));
    } finally {
      await store.close();
      await upstream.stop();
    }
  });
});
