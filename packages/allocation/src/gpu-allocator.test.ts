import { describe, expect, it } from 'vitest';
import { allocatePeriod } from './allocate-period.js';
import { resolveGpuConfig } from './config.js';
import { GpuAllocator } from './gpu-allocator.js';
import type { GpuConfig } from './types.js';

const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const MIN = 60_000;

function allocator(gpu: Partial<GpuConfig> = {}) {
  return new GpuAllocator({ nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }], ...gpu }, { startTime: T0 });
}

describe('GpuAllocator (streaming door)', () => {
  it('returns the exact time share when a request ends, with no wait for its window', () => {
    const a = allocator();
    a.start('r1', 'gpu-a', T0 + 10_000);
    a.start('r2', 'gpu-a', T0 + 20_000);
    const r1 = a.end('r1', T0 + 30_000)!;
    expect(r1).toMatchObject({ gpuSeconds: 15, direct: 15_000, meanConcurrency: 1.5, exact: true, final: false });
    const r2 = a.end('r2', T0 + 40_000)!;
    expect(r2).toMatchObject({ gpuSeconds: 15, direct: 15_000 });
    const [close] = a.closeWindows(T0 + MIN);
    expect(close!.requests.map((p) => [p.requestId, p.direct, p.final])).toEqual([
      ['r1', 15_000, true],
      ['r2', 15_000, true],
    ]);
    expect(close!.nodes[0]).toMatchObject({ nodeCost: 60_000, direct: 30_000, idle: 30_000, utilization: 0.5 });
  });

  it('gives a request still in flight at a close its final part, and the rest when it ends', () => {
    const a = allocator({ idle: 'shared' });
    a.start('long', 'gpu-a', T0 + 30_000);
    const [first] = a.closeWindows(T0 + MIN);
    expect(first!.requests).toEqual([
      expect.objectContaining({ requestId: 'long', direct: 30_000, idleShare: 30_000 }),
    ]);
    const done = a.end('long', T0 + 90_000)!;
    expect(done.parts.map((p) => [p.windowStart, p.direct, p.final])).toEqual([
      [T0, 30_000, true],
      [T0 + MIN, 30_000, false],
    ]);
    expect(done).toMatchObject({ gpuSeconds: 60, direct: 60_000, final: false });
    const [second] = a.closeWindows(T0 + 2 * MIN);
    const total = [...first!.requests, ...second!.requests].reduce((sum, p) => sum + p.total, 0);
    expect(total).toBe(120_000);
  });

  it('reports every window, idle ones included, and drops closed state', () => {
    const a = allocator();
    a.record({ id: 'r', nodeId: 'gpu-a', start: T0 + 1_000, end: T0 + 2_000 });
    const closes = a.closeWindows(T0 + 5 * MIN);
    expect(closes.map((c) => c.nodes[0]!.idle)).toEqual([59_000, 60_000, 60_000, 60_000, 60_000]);
    expect(a.stats()).toMatchObject({ inFlight: 0, openWindows: 0 });
    expect(a.closeWindows(T0 + 5 * MIN)).toEqual([]);
    expect(a.firstOpenWindow).toBe(T0 + 5 * MIN);
  });

  it('evicts requests that never end after maxRequestAge, and counts them', () => {
    const a = allocator({ maxRequestAge: 2 * MIN });
    a.start('stuck', 'gpu-a', T0 + 30_000);
    const closes = a.closeWindows(T0 + 4 * MIN);
    expect(a.stats()).toMatchObject({ evicted: 1, inFlight: 0 });
    expect(closes.flatMap((c) => c.requests).map((p) => p.windowStart)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    expect(closes[3]!.nodes[0]).toMatchObject({ requests: 0, idle: 60_000 });
    expect(a.end('stuck', T0 + 5 * MIN)).toBeUndefined();
    expect(a.stats().ignored).toBe(1);
  });

  it('keeps final figures exact when events arrive out of time order, and marks the at-end figure', () => {
    const requests = [
      { id: 'a', nodeId: 'gpu-a', start: T0 + 5_000, end: T0 + 40_000 },
      { id: 'b', nodeId: 'gpu-a', start: T0 + 10_000, end: T0 + 20_000 },
      { id: 'c', nodeId: 'gpu-a', start: T0 + 30_000, end: T0 + 50_000 },
    ];
    const a = allocator();
    a.start('a', 'gpu-a', T0 + 5_000);
    a.start('c', 'gpu-a', T0 + 30_000);
    a.record(requests[1]!); // b arrives after the fact
    const late = a.end('a', T0 + 40_000)!;
    a.end('c', T0 + 50_000);
    expect(a.stats().outOfOrder).toBeGreaterThan(0);
    expect(late.exact).toBe(false);
    const streamed = a.closeWindows(T0 + MIN);
    const config = a.config;
    expect(streamed).toEqual(allocatePeriod(config, requests, { from: T0, to: T0 + MIN }));
  });

  it('moves an event that falls in an already closed window into the first open one, and counts it', () => {
    const a = allocator();
    a.closeWindows(T0 + MIN);
    a.start('late', 'gpu-a', T0 + 30_000);
    const allocation = a.end('late', T0 + MIN + 6_000)!;
    expect(a.stats().late).toBe(1);
    expect(allocation).toMatchObject({ start: T0 + MIN, direct: 6_000 });
  });

  it('closeAll closes through the window of the latest timestamp (shutdown)', () => {
    const a = allocator();
    a.record({ id: 'r', nodeId: 'gpu-a', start: T0 + 70_000, end: T0 + 75_000 });
    a.start('open', 'gpu-a', T0 + 100_000);
    const closes = a.closeAll();
    expect(closes.map((c) => c.windowStart)).toEqual([T0, T0 + MIN]);
    expect(closes[1]!.requests.map((p) => [p.requestId, p.direct])).toEqual([
      ['open', 20_000],
      ['r', 5_000],
    ]);
  });

  it('estimates a provisional fully-loaded cost from the previous window (streaming)', () => {
    const a = allocator({ idle: 'shared', overhead: { percent: 10 } });
    a.record({ id: 'w1', nodeId: 'gpu-a', start: T0, end: T0 + 15_000 }); // 25 % utilization
    a.closeWindows(T0 + MIN);
    const now = a.end(a.start('w2', 'gpu-a', T0 + MIN) ? 'w2' : '', T0 + MIN + 10_000)!;
    expect(a.estimate(now)).toEqual({
      requestId: 'w2',
      nodeId: 'gpu-a',
      direct: 10_000,
      idleShare: 30_000,
      overhead: 4_000,
      total: 44_000,
      final: false,
    });
  });

  it('estimates token-weighted requests at the previous window price per weight', () => {
    const a = allocator({ method: 'tokens', tokenWeights: { input: 1, cachedInput: 0, output: 0 } });
    a.record({ id: 'w1', nodeId: 'gpu-a', start: T0, end: T0 + 12_000, usage: { inputTokens: 1000 } });
    a.closeWindows(T0 + MIN);
    a.start('w2', 'gpu-a', T0 + MIN);
    const now = a.end('w2', T0 + MIN + 1_000, { inputTokens: 500 })!;
    expect(now.direct).toBe(0);
    expect(a.estimate(now, { inputTokens: 500 })).toMatchObject({ direct: 6_000, total: 6_000, final: false });
  });

  it('never throws on bad events: unknown nodes, duplicate ids, non-finite times', () => {
    const a = allocator();
    expect(a.start('x', 'nowhere', T0)).toBe(false);
    expect(a.start('y', 'gpu-a', Number.NaN)).toBe(false);
    expect(a.start('z', 'gpu-a', T0)).toBe(true);
    expect(a.start('z', 'gpu-a', T0 + 1)).toBe(false);
    expect(a.end('z', Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(a.end('never-started', T0)).toBeUndefined();
    expect(a.closeWindows(Number.NaN)).toEqual([]);
    expect(a.stats().ignored).toBe(5);
  });

  it('takes its origin from the first event when no start time is given', () => {
    const a = new GpuAllocator(resolveGpuConfig({ nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }] }));
    expect(a.closeWindows(T0)).toEqual([]);
    a.record({ id: 'r', nodeId: 'gpu-a', start: T0 + 90_000, end: T0 + 91_000 });
    expect(a.closeWindows(T0 + 3 * MIN).map((c) => c.windowStart)).toEqual([T0 + MIN, T0 + 2 * MIN]);
  });
});
