import { createTestMetrics, createTestTracing, type TestMetrics, type TestTracing } from '@costspan/testing';
import * as shapes from '@costspan/testing/span-shapes';
import { type Attributes, context, type Span, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from './cost-span-processor.js';
import type { CostSpanProcessorOptions } from './types.js';

let tracing: TestTracing | undefined;
let metrics: TestMetrics | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  await metrics?.shutdown();
  tracing = undefined;
  metrics = undefined;
});

function setup(options: CostSpanProcessorOptions) {
  metrics = createTestMetrics();
  const processor = new CostSpanProcessor({ meterProvider: metrics.meterProvider, ...options });
  tracing = createTestTracing({ spanProcessors: [processor] });
  return { processor, tracing, metrics };
}

function start(t: TestTracing, name: string, attributes: Attributes, parent?: Span): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  return t.tracer.startSpan(name, { attributes, kind: SpanKind.CLIENT }, ctx);
}

const RULES: CostSpanProcessorOptions['costs'] = [
  {
    name: 'vector-search',
    component: 'retrieval',
    match: { 'db.system.name': 'pinecone', 'db.operation.name': 'query' },
    price: { perCall: 0.00008 },
  },
  {
    name: 'rerank',
    component: 'rerank',
    match: { 'gen_ai.operation.name': 'rerank', 'gen_ai.provider.name': 'cohere' },
    price: { perUnit: '0.002', attribute: 'cohere.search_units' },
  },
  {
    name: 'web-search',
    component: 'tool',
    match: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search' },
    price: { perCall: 0.01 },
  },
];

describe('CostSpanProcessor with cost rules', () => {
  it('prices the spans around the model and sums the whole request on the root', () => {
    const { tracing: t } = setup({ costs: RULES });
    const root = start(t, 'POST /ask', { 'http.request.method': 'POST' });
    start(t, 'query', { 'db.system.name': 'pinecone', 'db.operation.name': 'query' }, root).end();
    start(
      t,
      'rerank rerank-v3.5',
      {
        'gen_ai.operation.name': 'rerank',
        'gen_ai.provider.name': 'cohere',
        'gen_ai.request.model': 'rerank-v3.5',
        'cohere.search_units': 2,
      },
      root,
    ).end();
    const tool = start(
      t,
      'execute_tool web_search',
      { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search' },
      root,
    );
    tool.end();
    start(t, 'chat gpt-4o', shapes.openaiChat, root).end();
    root.end();

    const search = t.span('query').attributes;
    expect(search).toMatchObject({
      'costspan.cost.amount': 0.00008,
      'costspan.cost.currency': 'USD',
      'costspan.cost.component': 'retrieval',
      'costspan.cost.rule': 'vector-search',
    });
    expect(String(search['costspan.pricing.source'])).toMatch(/^cost-rules@[0-9a-f]{16}$/);
    // Never the inference-only names on a non-model span.
    expect(search['gen_ai.usage.cost.amount']).toBeUndefined();
    // A rerank call has no tokens: the rule prices it (2 search units × $0.002), not as an unpriced model call.
    const rerank = t.span('rerank rerank-v3.5').attributes;
    expect(rerank).toMatchObject({ 'costspan.cost.amount': 0.004, 'costspan.cost.rule': 'rerank' });
    expect(rerank['costspan.pricing.status']).toBeUndefined();
    expect(t.span('execute_tool web_search').attributes['costspan.cost.amount']).toBe(0.01);
    // The model call keeps its model price only.
    const chat = t.span('chat gpt-4o').attributes;
    expect(chat['gen_ai.usage.cost.amount']).toBe(0.00725);
    expect(chat['costspan.cost.rule']).toBeUndefined();
    // Root: 80,000 + 4,000,000 + 10,000,000 + 7,250,000 nanos, exactly once each.
    expect(t.span('POST /ask').attributes['costspan.cost.subtree']).toBe(0.02133);
  });

  it('never prices a model call by a rule, and leaves unmatched spans untouched', () => {
    const { tracing: t } = setup({
      costs: [
        { name: 'any-openai', component: 'x', match: { 'gen_ai.provider.name': 'openai' }, price: { perCall: 1 } },
      ],
    });
    start(t, 'chat gpt-4o', shapes.openaiChat).end();
    start(t, 'GET /', { 'http.request.method': 'GET' }).end();
    expect(t.span('chat gpt-4o').attributes['costspan.cost.rule']).toBeUndefined();
    expect(t.span('chat gpt-4o').attributes['gen_ai.usage.cost.amount']).toBe(0.00725);
    expect(Object.keys(t.span('GET /').attributes)).toEqual(['http.request.method']);
  });

  it('a shared resource prices the spans it serves and reports its windows', async () => {
    const {
      processor,
      tracing: t,
      metrics: m,
    } = setup({
      resources: [
        {
          id: 'qdrant-pod',
          component: 'retrieval',
          monthlyRate: 73,
          match: { 'db.system.name': 'qdrant' },
          method: 'requests',
        },
      ],
    });
    const root = start(t, 'POST /ask', {});
    start(t, 'search', { 'db.system.name': 'qdrant' }, root).end();
    root.end();
    const attrs = t.span('search').attributes;
    expect(attrs).toMatchObject({ 'costspan.cost.rule': 'qdrant-pod', 'costspan.cost.component': 'retrieval' });
    // No window closed yet: the share by requests is provisional.
    expect(attrs['costspan.allocation.final']).toBe(false);
    await processor.forceFlush();
    const points = await m.points('costspan.resource.cost');
    expect(points.map((p) => p.attributes['costspan.resource'])).toContain('qdrant-pod');
  });

  it('a malformed rule throws from the constructor with its path', () => {
    expect(
      () =>
        new CostSpanProcessor({
          costs: [{ name: 'x', component: 'y', match: { a: { regex: '(' } }, price: { perCall: 1 } }],
        }),
    ).toThrow(/costs\[0\]\.match\.a\.regex/);
  });
});
