/**
 * One model call, two spans (an instrumentation's span around the span `@anthropic-ai/sdk` makes of the same
 * call, or the same call in two traces): exactly one carries the price, whatever the end order; the other says
 * `duplicate` and points at it. Amounts computed by hand: claude-sonnet-4 at $3/M input, $15/M output, $0.30/M
 * cache read, $3.75/M cache write; 100 uncached + 2000 read + 1000 written + 500 out = 0.0003 + 0.0006 +
 * 0.00375 + 0.0075 = $0.01215.
 */
import { createTestMetrics, createTestTracing, type TestMetrics, type TestTracing } from '@costspan/testing';
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

function setup(options: CostSpanProcessorOptions = {}) {
  metrics = createTestMetrics();
  tracing = createTestTracing({
    spanProcessors: [new CostSpanProcessor({ meterProvider: metrics.meterProvider, ...options })],
  });
  return { t: tracing, m: metrics };
}

const RESPONSE_ID = 'msg_01XFDUDYJgAACzvnptvVoYEL';
const PRICE = 0.01215;

/** OpenInference's anthropic span: kind and model at start, usage at the end (none when streaming). */
const oiStart: Attributes = {
  'openinference.span.kind': 'LLM',
  'llm.model_name': 'claude-sonnet-4-0',
  'llm.provider': 'anthropic',
};
const oiUsage: Attributes = {
  'llm.token_count.prompt': 3100,
  'llm.token_count.completion': 500,
  'llm.token_count.prompt_details.cache_read': 2000,
  'llm.token_count.prompt_details.cache_write': 1000,
};
/** The Anthropic SDK's own span: operation, provider and model at start, usage and response id at the end. */
const sdkStart: Attributes = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'claude-sonnet-4-0',
};
const sdkEnd: Attributes = {
  'gen_ai.response.id': RESPONSE_ID,
  'gen_ai.response.model': 'claude-sonnet-4-20250514',
  'gen_ai.usage.input_tokens': 3100,
  'gen_ai.usage.cache_read.input_tokens': 2000,
  'gen_ai.usage.cache_write.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 500,
};

function nested(t: TestTracing): { outer: Span; inner: Span } {
  const outer = t.tracer.startSpan('Messages', { kind: SpanKind.INTERNAL, attributes: oiStart });
  const inner = t.tracer.startSpan(
    'anthropic.messages.create',
    { kind: SpanKind.CLIENT, attributes: sdkStart },
    trace.setSpan(context.active(), outer),
  );
  return { outer, inner };
}

async function costPoints(m: TestMetrics) {
  return (await m.points('gen_ai.client.operation.cost')).map((p) => p.value as { count: number; sum: number });
}

describe('one call = one price (CostSpanProcessor)', () => {
  for (const order of ['outer ends first', 'inner ends first'] as const) {
    it(`an instrumentation's span around the SDK's own span: the inner one is priced (${order})`, async () => {
      const { t, m } = setup();
      const { outer, inner } = nested(t);
      outer.setAttributes(oiUsage);
      inner.setAttributes(sdkEnd);
      if (order === 'outer ends first') {
        outer.end();
        inner.end();
      } else {
        inner.end();
        outer.end();
      }
      const innerSpan = t.span('anthropic.messages.create');
      const outerSpan = t.span('Messages');
      expect(innerSpan.attributes['gen_ai.usage.cost.amount']).toBe(PRICE);
      expect(innerSpan.attributes['costspan.pricing.status']).toBe('priced');
      expect(outerSpan.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
      expect(outerSpan.attributes['costspan.pricing.status']).toBe('duplicate');
      expect(outerSpan.attributes['costspan.pricing.duplicate_of']).toBe(innerSpan.spanContext().spanId);
      expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
    });
  }

  for (const [order, inContext] of [
    ['outer ends first', 'the span'],
    ['inner ends first', 'the span'],
    ['outer ends first', 'its wrapper'],
    ['inner ends first', 'its wrapper'],
  ] as const) {
    it(`an outer span whose kind is set right after its start (OITracer) is a duplicate (${order}, ${inContext} in context)`, async () => {
      const { t, m } = setup();
      // OITracer.startSpan: started with no attributes, then setAttributes — not recognisable at its own onStart —
      // and the context holds its wrapper (OISpan: the SDK span under `.span`), not the SDK span.
      const outer = t.tracer.startSpan('Messages', { kind: SpanKind.INTERNAL });
      outer.setAttributes(oiStart);
      const wrapper = Object.assign(Object.create(null), {
        span: outer,
        spanContext: () => outer.spanContext(),
        isRecording: () => true,
      }) as unknown as Span;
      const inner = t.tracer.startSpan(
        'anthropic.messages.create',
        { kind: SpanKind.CLIENT, attributes: sdkStart },
        trace.setSpan(context.active(), inContext === 'its wrapper' ? wrapper : outer),
      );
      outer.setAttributes(oiUsage);
      inner.setAttributes(sdkEnd);
      if (order === 'outer ends first') {
        outer.end();
        inner.end();
      } else {
        inner.end();
        outer.end();
      }
      const innerSpan = t.span('anthropic.messages.create');
      const outerSpan = t.span('Messages');
      expect(innerSpan.attributes['gen_ai.usage.cost.amount']).toBe(PRICE);
      expect(outerSpan.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
      expect(outerSpan.attributes['costspan.pricing.status']).toBe('duplicate');
      expect(outerSpan.attributes['costspan.pricing.duplicate_of']).toBe(innerSpan.spanContext().spanId);
      expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
    });
  }

  it('a model call under a parent that is not a model call leaves the parent unpriced wrapper, not a duplicate', async () => {
    const { t, m } = setup();
    const parent = t.tracer.startSpan('handler', { attributes: { 'http.route': '/chat' } });
    const inner = t.tracer.startSpan(
      'anthropic.messages.create',
      { kind: SpanKind.CLIENT, attributes: sdkStart },
      trace.setSpan(context.active(), parent),
    );
    parent.end();
    inner.setAttributes(sdkEnd);
    inner.end();
    expect(t.span('handler').attributes['costspan.pricing.status']).toBeUndefined();
    expect(t.span('anthropic.messages.create').attributes['gen_ai.usage.cost.amount']).toBe(PRICE);
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
  });

  it('a streamed outer span without usage is a duplicate, not a gap, when the SDK span has the usage', async () => {
    const { t, m } = setup();
    const { outer, inner } = nested(t);
    outer.end();
    inner.setAttributes(sdkEnd);
    inner.end();
    expect(t.span('Messages').attributes['costspan.pricing.status']).toBe('duplicate');
    expect(await m.points('costspan.pricing.unpriced')).toEqual([]);
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
  });

  it('the same response id in two traces (messages.stream()): the first span to end carries the price', async () => {
    const { t, m } = setup();
    const a = t.tracer.startSpan('anthropic.chat', { kind: SpanKind.CLIENT, attributes: { ...sdkStart, ...sdkEnd } });
    const b = t.tracer.startSpan(
      'anthropic.messages.create',
      { kind: SpanKind.CLIENT, attributes: { ...sdkStart, ...sdkEnd } },
      context.active(),
    );
    expect(a.spanContext().traceId).not.toBe(b.spanContext().traceId);
    b.end();
    a.end();
    const first = t.span('anthropic.messages.create');
    const second = t.span('anthropic.chat');
    expect(first.attributes['gen_ai.usage.cost.amount']).toBe(PRICE);
    expect(second.attributes['costspan.pricing.status']).toBe('duplicate');
    expect(second.attributes['costspan.pricing.duplicate_of']).toBe(first.spanContext().spanId);
    expect(second.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
  });

  // `messages.stream()` with SDK tracing and an instrumentation: two root spans in two traces, no response id.
  const sdkEndNoId: Attributes = { ...sdkEnd };
  delete sdkEndNoId['gen_ai.response.id'];

  for (const first of ['the SDK span', "the instrumentation's span"] as const) {
    it(`two producers' spans of one call in two traces: the first decided keeps the price (${first} ends first)`, async () => {
      const { t, m } = setup();
      const sdk = t.tracer.startSpan('anthropic.messages.create', { kind: SpanKind.CLIENT, attributes: sdkStart });
      const oi = t.tracer.startSpan('Messages', { attributes: oiStart }, context.active());
      expect(sdk.spanContext().traceId).not.toBe(oi.spanContext().traceId);
      sdk.setAttributes(sdkEndNoId);
      oi.setAttributes(oiUsage);
      const [a, b] = first === 'the SDK span' ? [sdk, oi] : [oi, sdk];
      a.end();
      b.end();
      const [aName, bName] =
        first === 'the SDK span'
          ? ['anthropic.messages.create', 'Messages']
          : ['Messages', 'anthropic.messages.create'];
      expect(t.span(aName).attributes['gen_ai.usage.cost.amount']).toBe(PRICE);
      expect(t.span(bName).attributes['costspan.pricing.status']).toBe('duplicate');
      expect(t.span(bName).attributes['costspan.pricing.duplicate_of']).toBe(t.span(aName).spanContext().spanId);
      expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 1, sum: PRICE })]);
    });
  }

  it('two identical parallel calls through one producer are never matched: two prices', async () => {
    const { t, m } = setup();
    const one = t.tracer.startSpan('anthropic.messages.create', { attributes: sdkStart });
    const two = t.tracer.startSpan('anthropic.messages.create', { attributes: sdkStart });
    one.setAttributes(sdkEndNoId);
    two.setAttributes(sdkEndNoId);
    one.end();
    two.end();
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 2, sum: 2 * PRICE })]);
  });

  it('two identical parallel calls through a doubly instrumented client: one-to-one, two prices in all', async () => {
    const { t, m } = setup();
    const sdk1 = t.tracer.startSpan('sdk 1', { attributes: sdkStart });
    const sdk2 = t.tracer.startSpan('sdk 2', { attributes: sdkStart });
    const oi1 = t.tracer.startSpan('oi 1', { attributes: { ...oiStart, ...oiUsage } });
    const oi2 = t.tracer.startSpan('oi 2', { attributes: { ...oiStart, ...oiUsage } });
    sdk1.setAttributes(sdkEndNoId);
    sdk2.setAttributes(sdkEndNoId);
    for (const s of [sdk1, sdk2, oi1, oi2]) s.end();
    const ids = new Set(['sdk 1', 'sdk 2'].map((n) => t.span(n).spanContext().spanId));
    expect(['oi 1', 'oi 2'].map((n) => t.span(n).attributes['costspan.pricing.status'])).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(new Set(['oi 1', 'oi 2'].map((n) => t.span(n).attributes['costspan.pricing.duplicate_of']))).toEqual(ids);
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 2, sum: 2 * PRICE })]);
  });

  it('a model call that ends without usage is unpriced (no_usage) and counted', async () => {
    const { t, m } = setup();
    t.tracer.startSpan('ChatCompletion', { attributes: { ...oiStart, 'llm.model_name': 'gpt-4o' } }).end();
    expect(t.span('ChatCompletion').attributes).toMatchObject({
      'costspan.pricing.status': 'unpriced',
      'costspan.pricing.reason': 'no_usage',
    });
    const [point] = await m.points('costspan.pricing.unpriced');
    expect(point?.value).toBe(1);
    expect(point?.attributes).toEqual({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'anthropic' });
  });

  it('with dedup off, both spans are priced (the behaviour the windows exist to prevent)', async () => {
    const { t, m } = setup({ dedup: { enabled: false } });
    const { outer, inner } = nested(t);
    outer.setAttributes(oiUsage);
    inner.setAttributes(sdkEnd);
    outer.end();
    inner.end();
    expect(await costPoints(m)).toEqual([expect.objectContaining({ count: 2 })]);
  });

  it('open model calls that never end are dropped past the cap, and counted', async () => {
    const { t, m } = setup({ dedup: { maxEntries: 2 } });
    for (let i = 0; i < 3; i++) t.tracer.startSpan(`never ${i}`, { attributes: sdkStart });
    const [point] = await m.points('costspan.processor.dedup.evicted');
    expect(point?.value).toBe(1);
  });
});
