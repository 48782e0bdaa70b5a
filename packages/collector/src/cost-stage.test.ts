/**
 * The collector's cost stage prices each call once, like the in-process processor: within one OTLP request
 * (children before parents) and across requests and traces (the provider response id). Amounts by hand:
 * claude-sonnet-4 at $3/M input, $15/M output, $0.30/M cache read, $3.75/M cache write; 100 uncached + 2000 read +
 * 1000 written + 500 out = 300 000 + 600 000 + 3 750 000 + 7 500 000 = 12 150 000 n$.
 */
import { createCostCore } from '@costspan/core';
import { describe, expect, it } from 'vitest';
import { CostStage } from './cost-stage.js';
import type { OtlpKeyValue } from './otlp/model.js';
import type { SpanRef } from './otlp/spans.js';
import type { PipelineBatch, PipelineSinks } from './pipeline.js';

const sinks: PipelineSinks = { windows: () => {}, finalAllocations: () => {}, error: () => {} };
const newStage = () => new CostStage(createCostCore(), undefined, 0, sinks, 'all', true);

const kv = (attrs: Record<string, string | number>): OtlpKeyValue[] =>
  Object.entries(attrs).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
  }));

const sdkSpan = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'claude-sonnet-4-0',
  'gen_ai.response.id': 'msg_01XFDUDYJgAACzvnptvVoYEL',
  'gen_ai.response.model': 'claude-sonnet-4-20250514',
  'gen_ai.usage.input_tokens': 3100,
  'gen_ai.usage.cache_read.input_tokens': 2000,
  'gen_ai.usage.cache_write.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 500,
};
const oiSpan = {
  'openinference.span.kind': 'LLM',
  'llm.model_name': 'claude-sonnet-4-0',
  'llm.provider': 'anthropic',
  'llm.token_count.prompt': 3100,
  'llm.token_count.completion': 500,
  'llm.token_count.prompt_details.cache_read': 2000,
  'llm.token_count.prompt_details.cache_write': 1000,
};

function ref(
  name: string,
  traceId: string,
  spanId: string,
  parentSpanId: string,
  attrs: Record<string, string | number>,
): SpanRef {
  return {
    span: {
      name,
      kind: 3,
      startTimeUnixNano: 1_700_000_000_000_000_000,
      endTimeUnixNano: 1_700_000_001_000_000_000,
      attributes: kv(attrs),
    },
    resourceAttributes: [],
    scopeName: 'test',
    traceId,
    spanId,
    parentSpanId,
  } as SpanRef;
}

function batch(spans: SpanRef[]): PipelineBatch {
  return { request: { resourceSpans: [] }, spans, receivedAt: Date.now(), rows: [], priced: 0, unpriced: 0 };
}

const attr = (r: SpanRef, key: string) => {
  const v = r.span.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.doubleValue ?? undefined;
};

describe('CostStage: one call = one price', () => {
  it('nested in one request (an instrumentation span over the SDK span): the inner is priced, the outer a duplicate', () => {
    const stage = newStage();
    const outer = ref('Messages', 't1', 'a1', '', oiSpan);
    const inner = ref('anthropic.messages.create', 't1', 'b1', 'a1', sdkSpan);
    const b = batch([outer, inner]);
    stage.process(b);
    expect(attr(inner, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(outer, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(outer, 'costspan.pricing.duplicate_of')).toBe('b1');
    expect(attr(outer, 'gen_ai.usage.cost.amount')).toBeUndefined();
    expect([b.priced, b.unpriced]).toEqual([1, 0]);
    // One store row: the duplicate's tokens are its call's, stored once.
    expect(b.rows.map((r) => [r.spanId, r.costNanos])).toEqual([['b1', 12_150_000]]);
  });

  it('the same response id in two requests and two traces: the first received carries the price', () => {
    const stage = newStage();
    const first = ref('anthropic.chat', 't1', 'a1', '', { ...sdkSpan });
    const second = ref('anthropic.messages.create', 't2', 'b2', '', { ...sdkSpan });
    const b1 = batch([first]);
    const b2 = batch([second]);
    stage.process(b1);
    stage.process(b2);
    expect(attr(first, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(second, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(second, 'costspan.pricing.duplicate_of')).toBe('a1');
    expect([b2.priced, b2.unpriced, b2.rows.length]).toEqual([0, 0, 0]);
  });

  it('the same span sent twice (a retried export) is priced the same both times, not a duplicate of itself', () => {
    const stage = newStage();
    const once = ref('anthropic.messages.create', 't1', 'a1', '', { ...sdkSpan });
    const again = ref('anthropic.messages.create', 't1', 'a1', '', { ...sdkSpan });
    stage.process(batch([once]));
    stage.process(batch([again]));
    expect(attr(again, 'gen_ai.usage.cost.amount')).toBe(0.01215);
  });

  // F3: the two spans of one call in separate OTLP requests (a BatchSpanProcessor flushed between their ends),
  // neither with a response id: the span that arrived first keeps the price, the other is its duplicate.
  const sdkNoId: Record<string, string | number> = { ...sdkSpan };
  delete sdkNoId['gen_ai.response.id'];

  it('split requests, outer span first: the outer keeps the price, the inner that arrives later is its duplicate', () => {
    const stage = newStage();
    const outer = ref('Messages', 't1', 'a1', '', oiSpan);
    const inner = ref('anthropic.messages.create', 't1', 'b1', 'a1', sdkNoId);
    const b1 = batch([outer]);
    const b2 = batch([inner]);
    stage.process(b1);
    stage.process(b2);
    expect(attr(outer, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(inner, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(inner, 'costspan.pricing.duplicate_of')).toBe('a1');
    expect(attr(inner, 'gen_ai.usage.cost.amount')).toBeUndefined();
    expect(b1.rows.map((r) => [r.spanId, r.costNanos])).toEqual([['a1', 12_150_000]]);
    expect([b2.priced, b2.unpriced, b2.rows.length]).toEqual([0, 0, 0]);
  });

  it('split requests, inner span first: the inner keeps the price, the outer that arrives later is its duplicate', () => {
    const stage = newStage();
    const inner = ref('anthropic.messages.create', 't1', 'b1', 'a1', sdkNoId);
    const outer = ref('Messages', 't1', 'a1', '', oiSpan);
    const b1 = batch([inner]);
    const b2 = batch([outer]);
    stage.process(b1);
    stage.process(b2);
    expect(attr(inner, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(outer, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(outer, 'costspan.pricing.duplicate_of')).toBe('b1');
    expect(b1.rows.map((r) => [r.spanId, r.costNanos])).toEqual([['b1', 12_150_000]]);
    expect([b2.priced, b2.unpriced, b2.rows.length]).toEqual([0, 0, 0]);
  });

  it('split requests retried (each again, then both in one request): the same decisions, never a duplicate of itself', () => {
    const stage = newStage();
    const spans = () => [
      ref('Messages', 't1', 'a1', '', oiSpan),
      ref('anthropic.messages.create', 't1', 'b1', 'a1', sdkNoId),
    ];
    const [outer, inner] = spans() as [SpanRef, SpanRef];
    stage.process(batch([outer]));
    stage.process(batch([inner]));
    const [outer2, inner2] = spans() as [SpanRef, SpanRef];
    const r1 = batch([outer2]);
    const r2 = batch([inner2]);
    stage.process(r1);
    stage.process(r2);
    expect(attr(outer2, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(outer2, 'costspan.pricing.status')).toBe('priced');
    expect(attr(inner2, 'costspan.pricing.duplicate_of')).toBe('a1');
    expect(r1.rows.map((r) => [r.spanId, r.costNanos])).toEqual([['a1', 12_150_000]]);
    expect(r2.rows).toEqual([]);
    const [outer3, inner3] = spans() as [SpanRef, SpanRef];
    const both = batch([outer3, inner3]);
    stage.process(both);
    expect(attr(outer3, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(inner3, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(inner3, 'costspan.pricing.duplicate_of')).toBe('a1');
    expect(both.rows.map((r) => [r.spanId, r.costNanos])).toEqual([['a1', 12_150_000]]);
  });

  // F2: one call recorded by two producers in two traces (`messages.stream()`), no response id on either.
  const timed = (r: SpanRef, startMs: number, endMs: number): SpanRef => {
    r.span.startTimeUnixNano = (1_700_000_000_000 + startMs) * 1_000_000;
    r.span.endTimeUnixNano = (1_700_000_000_000 + endMs) * 1_000_000;
    r.resourceAttributes = kv({ 'service.name': 'app', 'service.instance.id': 'pod-1' });
    return r;
  };

  it('two producers, two traces, same tokens, model and process, nested times: the later one is a duplicate', () => {
    const stage = newStage();
    const sdk = timed(ref('anthropic.messages.create', 't1', 'a1', '', sdkNoId), 0, 2_000);
    const oi = timed(ref('Messages', 't2', 'b2', '', oiSpan), 5, 1_995);
    const b1 = batch([sdk]);
    const b2 = batch([oi]);
    stage.process(b1);
    stage.process(b2);
    expect(attr(sdk, 'gen_ai.usage.cost.amount')).toBe(0.01215);
    expect(attr(oi, 'costspan.pricing.status')).toBe('duplicate');
    expect(attr(oi, 'costspan.pricing.duplicate_of')).toBe('a1');
    expect([b1.rows.length, b2.rows.length]).toEqual([1, 0]);
  });

  it('the same producer twice (two identical parallel calls) is never matched: two prices', () => {
    const stage = newStage();
    const one = timed(ref('anthropic.messages.create', 't1', 'a1', '', sdkNoId), 0, 2_000);
    const two = timed(ref('anthropic.messages.create', 't2', 'b2', '', sdkNoId), 0, 2_000);
    const b = batch([one, two]);
    stage.process(b);
    expect([attr(one, 'gen_ai.usage.cost.amount'), attr(two, 'gen_ai.usage.cost.amount')]).toEqual([0.01215, 0.01215]);
    expect(b.rows.reduce((n, r) => n + Number(r.costNanos), 0)).toBe(24_300_000);
  });

  it('two identical parallel calls through a doubly instrumented client: one-to-one, two prices in all', () => {
    const stage = newStage();
    const sdk1 = timed(ref('anthropic.messages.create', 't1', 'a1', '', sdkNoId), 0, 2_000);
    const sdk2 = timed(ref('anthropic.messages.create', 't2', 'a2', '', sdkNoId), 10, 2_010);
    const oi1 = timed(ref('Messages', 't3', 'b1', '', oiSpan), 2, 1_998);
    const oi2 = timed(ref('Messages', 't4', 'b2', '', oiSpan), 12, 2_008);
    const b = batch([sdk1, sdk2, oi1, oi2]);
    stage.process(b);
    const status = [sdk1, sdk2, oi1, oi2].map((r) => attr(r, 'costspan.pricing.status'));
    expect(status).toEqual(['priced', 'priced', 'duplicate', 'duplicate']);
    expect(new Set([oi1, oi2].map((r) => attr(r, 'costspan.pricing.duplicate_of')))).toEqual(new Set(['a1', 'a2']));
    expect(b.rows.reduce((n, r) => n + Number(r.costNanos), 0)).toBe(24_300_000);
  });

  it('two producers in different processes, or calls that do not overlap in time, are not matched', () => {
    const stage = newStage();
    const sdk = timed(ref('anthropic.messages.create', 't1', 'a1', '', sdkNoId), 0, 2_000);
    const otherPod = timed(ref('Messages', 't2', 'b2', '', oiSpan), 5, 1_995);
    otherPod.resourceAttributes = kv({ 'service.name': 'app', 'service.instance.id': 'pod-2' });
    const later = timed(ref('Messages', 't3', 'c3', '', oiSpan), 2_050, 4_000);
    const b = batch([sdk, otherPod, later]);
    stage.process(b);
    expect([sdk, otherPod, later].map((r) => attr(r, 'costspan.pricing.status'))).toEqual([
      'priced',
      'priced',
      'priced',
    ]);
  });

  it('a model call without usage is stored and counted as unpriced (no_usage); another tool’s cost is kept', () => {
    const stage = newStage();
    const bare = ref('chat gpt-4o', 't1', 'a1', '', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
    });
    const openlit = ref('chat claude', 't1', 'b1', '', {
      ...sdkSpan,
      'gen_ai.response.id': 'msg_2',
      'gen_ai.usage.cost': 0.0123,
    });
    const b = batch([bare, openlit]);
    stage.process(b);
    expect(attr(bare, 'costspan.pricing.reason')).toBe('no_usage');
    expect(attr(openlit, 'costspan.pricing.status')).toBe('external');
    expect(attr(openlit, 'gen_ai.usage.cost.amount')).toBeUndefined();
    expect([b.priced, b.unpriced]).toEqual([1, 1]);
    const rows = Object.fromEntries(b.rows.map((r) => [r.spanId, [r.pricingStatus, r.pricingReason, r.costNanos]]));
    expect(rows).toEqual({ a1: ['unpriced', 'no_usage', null], b1: ['external', null, 12_300_000] });
  });

  it('a span an in-process costspan already marked duplicate is forwarded as it is and not stored', () => {
    const stage = newStage();
    const marked = ref('Messages', 't1', 'a1', '', {
      ...oiSpan,
      'costspan.pricing.status': 'duplicate',
      'costspan.pricing.duplicate_of': 'b1',
    });
    const b = batch([marked]);
    stage.process(b);
    expect(attr(marked, 'costspan.pricing.status')).toBe('duplicate');
    expect([b.priced, b.unpriced, b.rows.length]).toEqual([0, 0, 0]);
  });
});
