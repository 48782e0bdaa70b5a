import { describe, expect, it } from 'vitest';
import type { InferenceUsage } from './inference-usage.js';
import type { SpanRecord } from './record.js';
import { TraceCallWindow } from './trace-calls.js';
import { TwinCallWindow } from './twin-calls.js';

describe('TraceCallWindow', () => {
  it('links a later span to a parent or child of the same trace seen earlier, never a span to itself', () => {
    const w = new TraceCallWindow();
    w.remember('t1', 'outer', undefined, 'outer');
    expect(w.carrierFor('t1', 'inner', 'outer')).toBe('outer');
    expect(w.carrierFor('t2', 'inner', 'outer')).toBeUndefined();
    expect(w.carrierFor('t1', 'outer', undefined)).toBeUndefined();
    const c = new TraceCallWindow();
    c.remember('t1', 'inner', 'outer', 'inner');
    expect(c.carrierFor('t1', 'outer', undefined)).toBe('inner');
    expect(c.carrierFor('t1', 'inner', 'outer')).toBeUndefined();
  });

  it('is bounded by size and age, counting what it drops', () => {
    let now = 0;
    let evicted = 0;
    const w = new TraceCallWindow({ maxEntries: 2, maxAgeMs: 1000, now: () => now, onEvict: (n) => (evicted += n) });
    w.remember('t', 'a', undefined, 'a');
    w.remember('t', 'b', undefined, 'b');
    w.remember('t', 'c', undefined, 'c');
    expect([w.size, evicted]).toEqual([2, 1]);
    expect(w.carrierFor('t', 'x', 'a')).toBeUndefined();
    now = 2000;
    expect(w.carrierFor('t', 'x', 'b')).toBeUndefined();
    expect(evicted).toBe(2);
  });
});

function usage(dialect: InferenceUsage['dialect'], extra: Partial<InferenceUsage> = {}): InferenceUsage {
  return {
    dialect,
    provider: 'anthropic',
    model: 'claude-sonnet-4-20250514',
    requestModel: 'claude-sonnet-4-0',
    inputTokens: 3100,
    outputTokens: 500,
    cacheReadTokens: 2000,
    cacheWriteTokens: 1000,
    cacheWrite1hTokens: 0,
    inputAudioTokens: 0,
    outputAudioTokens: 0,
    reasoningTokens: 0,
    hasTokens: true,
    ...extra,
  };
}

const resource = { 'service.name': 'app' };
const span = (spanId: string, start: number, end: number, traceId = spanId): SpanRecord => ({
  name: spanId,
  attributes: {},
  resourceAttributes: resource,
  traceId,
  spanId,
  startTimeMs: start,
  endTimeMs: end,
});

describe('TwinCallWindow', () => {
  it('matches two dialects of one call, one-to-one, and answers a retried span as before', () => {
    const w = new TwinCallWindow();
    expect(w.decide(span('a', 0, 1000), usage('anthropic-sdk'))).toBeUndefined();
    expect(w.decide(span('b', 10, 990), usage('openinference', { requestModel: undefined }))).toBe('a');
    expect(w.decide(span('c', 10, 990), usage('openinference'))).toBeUndefined();
    expect(w.decide(span('b', 10, 990), usage('openinference'))).toBe('a');
    expect(w.decide(span('a', 0, 1000), usage('anthropic-sdk'))).toBeUndefined();
  });

  it('does not match the same dialect, other counts, another model, another resource, or times apart', () => {
    const w = new TwinCallWindow();
    w.decide(span('a', 0, 1000), usage('anthropic-sdk'));
    expect(w.decide(span('b', 0, 1000), usage('anthropic-sdk'))).toBeUndefined();
    expect(w.decide(span('c', 0, 1000), usage('openinference', { outputTokens: 501 }))).toBeUndefined();
    expect(w.decide(span('d', 0, 1000), usage('openllmetry', { requestModel: 'claude-opus-4-0' }))).toBeUndefined();
    const other = { ...span('e', 0, 1000), resourceAttributes: { 'service.name': 'other' } };
    expect(w.decide(other, usage('openllmetry'))).toBeUndefined();
    // Back to back (no overlap), and overlapping but not one inside the other.
    expect(w.decide(span('f', 1001, 2000), usage('sentry'))).toBeUndefined();
    expect(w.decide(span('g', 500, 1500), usage('otel'))).toBeUndefined();
  });

  it('finds a twin among many calls of one producer seen before the second producer, within its bounds', () => {
    let evicted = 0;
    const w = new TwinCallWindow({ maxEntries: 100, onEvict: (n) => (evicted += n) });
    // 150 calls of one producer, each with its own counts: the 50 oldest leave the window.
    for (let i = 0; i < 150; i++) {
      expect(w.decide(span(`s${i}`, i, i + 1000), usage('anthropic-sdk', { inputTokens: 3100 + i }))).toBeUndefined();
    }
    expect([w.size, evicted]).toEqual([100, 50]);
    // The second producer's span of a dropped call finds nothing; of a kept one, that call.
    expect(w.decide(span('x10', 10, 1010), usage('openinference', { inputTokens: 3110 }))).toBeUndefined();
    expect(w.decide(span('x120', 120, 1120), usage('openinference', { inputTokens: 3220 }))).toBe('s120');
    // Later calls of either producer are matched the same way.
    w.decide(span('s200', 200, 1200), usage('anthropic-sdk', { inputTokens: 9999 }));
    expect(w.decide(span('x200', 210, 1190), usage('openinference', { inputTokens: 9999 }))).toBe('s200');
    expect(w.decide(span('x201', 210, 1190), usage('openinference', { inputTokens: 9999 }))).toBeUndefined();
  });

  it('a span linked by another rule absorbs no twin', () => {
    const w = new TwinCallWindow();
    w.decide(span('a', 0, 1000), usage('anthropic-sdk'));
    w.linked('a', 'outer');
    expect(w.decide(span('b', 0, 1000), usage('openinference'))).toBeUndefined();
  });

  it('is bounded by size and age, counting what it drops', () => {
    let now = 0;
    let evicted = 0;
    const w = new TwinCallWindow({ maxEntries: 2, maxAgeMs: 1000, now: () => now, onEvict: (n) => (evicted += n) });
    w.decide(span('a', 0, 1000), usage('anthropic-sdk'));
    w.decide(span('b', 0, 1000), usage('anthropic-sdk'));
    w.decide(span('c', 0, 1000), usage('anthropic-sdk'));
    expect([w.size, evicted]).toEqual([2, 1]);
    now = 5000;
    expect(w.decide(span('d', 0, 1000), usage('openinference'))).toBeUndefined();
    expect([w.size, evicted]).toEqual([1, 3]);
  });
});
