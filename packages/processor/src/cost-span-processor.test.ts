import { COST_HISTOGRAM_BOUNDARIES } from '@costspan/core';
import { createPriceBook, type PriceBook } from '@costspan/pricing';
import { createTestMetrics, createTestTracing, type TestMetrics, type TestTracing } from '@costspan/testing';
import * as shapes from '@costspan/testing/span-shapes';
import { type Attributes, context, DiagLogLevel, diag, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

function setup(options: CostSpanProcessorOptions = {}) {
  metrics = createTestMetrics();
  const processor = new CostSpanProcessor({ meterProvider: metrics.meterProvider, ...options });
  tracing = createTestTracing({ spanProcessors: [processor] });
  return { processor, tracing, metrics };
}

/** Ends a span with these attributes, optionally as a child of `parent`. */
function emit(
  t: TestTracing,
  name: string,
  attributes: Attributes,
  parent?: ReturnType<TestTracing['tracer']['startSpan']>,
) {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  const span = t.tracer.startSpan(name, { attributes, kind: SpanKind.CLIENT }, ctx);
  span.end();
  return span;
}

describe('CostSpanProcessor (sdk-trace TracerProvider)', () => {
  it('puts the price, its provenance and the components on an inference span before export', async () => {
    const { tracing: t, metrics: m } = setup();
    emit(t, 'chat gpt-4o', shapes.openaiChat);
    const span = t.span('chat gpt-4o');
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.cost.amount': 0.00725,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costspan.pricing.status': 'priced',
      'costspan.cost.input': 0.002,
      'costspan.cost.output': 0.005,
      'costspan.cost.cache_read': 0.00025,
      'costspan.pricing.model': 'gpt-4o',
      'costspan.pricing.source': '@pydantic/genai-prices@0.1.8',
    });
    const [point] = await m.points('gen_ai.client.operation.cost');
    expect(point?.unit).toBe('{USD}');
    expect(point?.attributes).toEqual({
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.operation.name': 'chat',
    });
    const hist = point?.value as { count: number; sum: number; buckets: { boundaries: number[] } };
    expect(hist.count).toBe(1);
    expect(hist.sum).toBeCloseTo(0.00725, 12);
    expect(hist.buckets.boundaries).toEqual(COST_HISTOGRAM_BOUNDARIES);
  });

  it("writes only the essential cost attributes with attributes: 'essential', and the same metrics", async () => {
    const { tracing: t, metrics: m } = setup({ attributes: 'essential' });
    const parent = t.tracer.startSpan('POST /summarize');
    emit(
      t,
      'chat gpt-4o',
      { ...shapes.openaiChat, 'costspan.feature': 'summarize', 'costspan.tenant': 'acme' },
      parent,
    );
    parent.end();
    const span = t.span('chat gpt-4o');
    const cost = Object.keys(span.attributes).filter(
      (k) => k.startsWith('costspan.') || k.startsWith('gen_ai.usage.cost'),
    );
    expect(cost.sort()).toEqual([
      'costspan.feature',
      'costspan.pricing.status',
      'costspan.tenant',
      'gen_ai.usage.cost.amount',
      'gen_ai.usage.cost.currency',
      'gen_ai.usage.cost.source',
    ]);
    expect(span.attributes['gen_ai.usage.cost.amount']).toBe(0.00725);
    expect(t.span('POST /summarize').attributes['costspan.cost.subtree']).toBe(0.00725);
    const [point] = await m.points('gen_ai.client.operation.cost');
    expect(point?.attributes).toMatchObject({ 'gen_ai.request.model': 'gpt-4o', 'costspan.tenant': 'acme' });
    expect((point?.value as { sum: number } | undefined)?.sum).toBeCloseTo(0.00725, 12);
  });

  it('leaves non-inference spans untouched', () => {
    const { tracing: t } = setup();
    emit(t, 'GET /health', { 'http.request.method': 'GET', 'http.response.status_code': 200 });
    expect(t.span('GET /health').attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
  });

  it('prices Anthropic-style cache at cache rates', () => {
    const { tracing: t } = setup();
    emit(t, 'chat claude', shapes.anthropicOtel);
    expect(t.span('chat claude').attributes).toMatchObject({
      'gen_ai.usage.cost.amount': 0.01215,
      'costspan.cost.cache_read': 0.0006,
      'costspan.cost.cache_write': 0.00375,
    });
  });

  it('prices OpenAI reasoning tokens as output', () => {
    const { tracing: t } = setup();
    emit(t, 'chat o4-mini', shapes.openaiReasoning);
    const a = t.span('chat o4-mini').attributes;
    expect(a['costspan.pricing.status']).toBe('priced');
    // o4-mini: $1.10/M input, $4.40/M output → 2000 in + 1500 out (1200 of them reasoning)
    expect(a['gen_ai.usage.cost.amount']).toBeCloseTo(0.0088, 12);
  });

  it('prices an AI SDK parent + child pair once: the child, with the parent showing the subtree', async () => {
    const { tracing: t, metrics: m } = setup();
    const outer = t.tracer.startSpan('ai.generateText', { attributes: shapes.aiSdk4Outer });
    emit(t, 'ai.generateText.doGenerate', shapes.aiSdk4Inner, outer);
    outer.end();
    const inner = t.span('ai.generateText.doGenerate').attributes;
    const parent = t.span('ai.generateText').attributes;
    expect(inner['gen_ai.usage.cost.amount']).toBe(0.0075);
    expect(parent['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(parent['costspan.pricing.status']).toBeUndefined();
    expect(parent['costspan.cost.subtree']).toBe(0.0075);
    const points = await m.points('gen_ai.client.operation.cost');
    expect(points.map((p) => (p.value as { count: number }).count)).toEqual([1]);
  });

  it('keeps a provider-reported cost as the price', () => {
    const { tracing: t } = setup();
    emit(t, 'chat openrouter', shapes.openrouterWithCost);
    expect(t.span('chat openrouter').attributes).toMatchObject({
      'gen_ai.usage.cost.amount': 0.01042,
      'gen_ai.usage.cost.source': 'provider',
      'gen_ai.usage.cost.currency': 'USD',
      'costspan.pricing.status': 'priced',
    });
  });

  it('marks an unknown model unpriced, sets no amount and counts it', async () => {
    const { tracing: t, metrics: m } = setup();
    emit(t, 'chat mystery', {
      ...shapes.openaiChat,
      'gen_ai.request.model': 'mystery-1',
      'gen_ai.response.model': 'mystery-1',
    });
    const a = t.span('chat mystery').attributes;
    expect(a['costspan.pricing.status']).toBe('unpriced');
    expect(a['costspan.pricing.reason']).toContain('mystery-1');
    expect(a['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(await m.points('costspan.pricing.unpriced')).toEqual([
      {
        metric: 'costspan.pricing.unpriced',
        unit: '{operation}',
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'mystery-1' },
        value: 1,
      },
    ]);
    expect(await m.points('gen_ai.client.operation.cost')).toEqual([]);
  });

  it('gives the root span of a request the cost of everything beneath it (agents not priced again)', () => {
    const { tracing: t } = setup();
    const root = t.tracer.startSpan('POST /answer', { kind: SpanKind.SERVER });
    const agent = t.tracer.startSpan(
      'invoke_agent gpt-4o',
      { attributes: shapes.aiSdk7InvokeAgent },
      trace.setSpan(context.active(), root),
    );
    emit(t, 'chat gpt-4o', shapes.aiSdk7Chat, agent);
    emit(t, 'chat claude', shapes.anthropicOtel, agent);
    emit(t, 'GET /weather', { 'http.request.method': 'GET' }, agent);
    agent.end();
    root.end();
    const chat = t.span('chat gpt-4o').attributes['gen_ai.usage.cost.amount'] as number;
    const claude = t.span('chat claude').attributes['gen_ai.usage.cost.amount'] as number;
    expect(t.span('invoke_agent gpt-4o').attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(t.span('invoke_agent gpt-4o').attributes['costspan.cost.subtree']).toBeCloseTo(chat + claude, 12);
    expect(t.span('POST /answer').attributes['costspan.cost.subtree']).toBe((7_500_000 + 12_150_000) / 1e9);
    expect(t.span('GET /weather').attributes['costspan.cost.subtree']).toBeUndefined();
  });

  it('writes compatibility names only for the switches asked for', () => {
    const { tracing: t } = setup({ compat: ['openlit-langfuse', 'logfire'] });
    emit(t, 'chat gpt-4o', shapes.openaiChat);
    const a = t.span('chat gpt-4o').attributes;
    expect(a['gen_ai.usage.cost']).toBe(0.00725);
    expect(a['operation.cost']).toBe(0.00725);
    expect(a['llm.cost.total']).toBeUndefined();
  });

  it('caps distinct tenants in metrics, reporting the overflow as other, but keeps the real tenant on spans', async () => {
    const { tracing: t, metrics: m } = setup({ maxTenants: 2 });
    // Four calls (each its own provider response id: one id is one call, priced once).
    ['acme', 'globex', 'initech', 'acme'].forEach((tenant, i) => {
      emit(t, `chat ${tenant}`, {
        ...shapes.openaiChat,
        'gen_ai.response.id': `chatcmpl-${i}`,
        'costspan.tenant': tenant,
      });
    });
    expect(t.span('chat initech').attributes['costspan.tenant']).toBe('initech');
    const counts = Object.fromEntries(
      (await m.points('gen_ai.client.operation.cost')).map((p) => [
        p.attributes['costspan.tenant'],
        (p.value as { count: number }).count,
      ]),
    );
    expect(counts).toEqual({ acme: 2, globex: 1, other: 1 });
  });

  it('never lets a failure escape into span.end(): counted and reported once through diag', async () => {
    const throwing: PriceBook = {
      source: 'broken',
      price() {
        throw new Error('boom');
      },
    };
    const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn(), verbose: vi.fn() };
    diag.setLogger(logger, DiagLogLevel.ERROR);
    try {
      const { tracing: t, metrics: m } = setup({ priceBook: throwing });
      expect(() => emit(t, 'chat a', shapes.openaiChat)).not.toThrow();
      expect(() => emit(t, 'chat b', shapes.openaiChat)).not.toThrow();
      expect(t.spans().map((s) => s.name)).toEqual(['chat a', 'chat b']);
      expect(logger.error).toHaveBeenCalledTimes(1);
      const [errors] = await m.points('costspan.processor.errors');
      expect(errors?.value).toBe(2);
    } finally {
      diag.disable();
    }
  });

  it('writes the most important attributes first when the span attribute limit is near', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanLimits: { attributeCountLimit: Object.keys(shapes.openaiChat).length + 4 },
      spanProcessors: [new CostSpanProcessor(), new SimpleSpanProcessor({ exporter })],
    });
    provider.getTracer('t').startSpan('chat', { attributes: shapes.openaiChat }).end();
    const a = exporter.getFinishedSpans()[0]?.attributes ?? {};
    expect(a['gen_ai.usage.cost.amount']).toBe(0.00725);
    expect(a['gen_ai.usage.cost.currency']).toBe('USD');
    expect(a['gen_ai.usage.cost.source']).toBe('local');
    expect(a['costspan.pricing.status']).toBe('priced');
    expect(a['costspan.pricing.model']).toBeUndefined();
  });
});

describe('CostSpanProcessor wrapping form ({ next })', () => {
  it('re-presents the ended span with cost attributes when the SDK has no onEnding', () => {
    const exporter = new InMemorySpanExporter();
    const processor = new CostSpanProcessor({ next: new SimpleSpanProcessor({ exporter }) });
    // An SDK without onEnding: only onStart / onEnd reach the processor.
    const legacy = {
      onStart: processor.onStart.bind(processor),
      onEnd: processor.onEnd.bind(processor),
      forceFlush: () => processor.forceFlush(),
      shutdown: () => processor.shutdown(),
    };
    const provider = new TracerProvider({ spanProcessors: [legacy] });
    const tracer = provider.getTracer('t');
    const outer = tracer.startSpan('ai.generateText', { attributes: shapes.aiSdk4Outer });
    tracer
      .startSpan(
        'ai.generateText.doGenerate',
        { attributes: shapes.aiSdk4Inner },
        trace.setSpan(context.active(), outer),
      )
      .end();
    outer.end();
    const [inner, parent] = exporter.getFinishedSpans();
    expect(inner?.attributes['gen_ai.usage.cost.amount']).toBe(0.0075);
    expect(inner?.attributes['gen_ai.request.model']).toBe('gpt-4o');
    expect(inner?.name).toBe('ai.generateText.doGenerate');
    expect(inner?.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parent?.attributes['costspan.cost.subtree']).toBe(0.0075);
  });

  it('forwards every span to next unchanged when onEnding already priced it', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new CostSpanProcessor({ next: new SimpleSpanProcessor({ exporter }) })],
    });
    provider.getTracer('t').startSpan('chat', { attributes: shapes.openaiChat }).end();
    provider.getTracer('t').startSpan('GET /').end();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['gen_ai.usage.cost.amount']])).toEqual([
      ['chat', 0.00725],
      ['GET /', undefined],
    ]);
  });

  it('uses a custom price book', () => {
    const book = createPriceBook({
      overrides: { models: [{ match: 'house-model', prices: { input: 1, output: 2 } }] },
    });
    const { tracing: t } = setup({ priceBook: book });
    emit(t, 'chat house', {
      'gen_ai.request.model': 'house-model',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 1000,
    });
    expect(t.span('chat house').attributes['gen_ai.usage.cost.amount']).toBe(0.003);
  });
});
