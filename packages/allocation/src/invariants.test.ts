import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePeriod } from './allocate-period.js';
import { resolveGpuConfig } from './config.js';
import { GpuAllocator } from './gpu-allocator.js';
import { nodeCostMicros } from './money.js';
import { monthlyBudgetMicros } from './monthly-budget.js';
import { segmentShare, timeScaleFor } from './time-scale.js';
import type { GpuConfig, RequestInterval, ResolvedGpuConfig, WindowClose } from './types.js';

/** 2026-01-31T23:59:50Z: scenarios cross a calendar month, so monthly budgets change month under them. */
const BASE = Date.UTC(2026, 0, 31, 23, 59, 50);
const SPAN_MS = 30_000;

interface Scenario {
  config: ResolvedGpuConfig;
  requests: RequestInterval[];
  from: number;
  to: number;
}

const nodeArb = fc.oneof(
  fc.record({ hourlyRate: fc.constantFrom(3.6, 0.8048, 1.006, 2.49, 98.32, 0.01) }),
  fc.record({ gpus: fc.integer({ min: 1, max: 8 }), gpuHourlyRate: fc.constantFrom(6.88, 2.99, 3.67) }),
);

const configArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 3 }),
  window: fc.constantFrom(1_000, 2_500, 7_000, 60_000),
  method: fc.constantFrom('time' as const, 'tokens' as const, 'requests' as const),
  idle: fc.constantFrom('separate' as const, 'shared' as const),
  overhead: fc.oneof(
    fc.constant(undefined),
    fc.record({ percent: fc.constantFrom(0, 7.5, 10, 33) }),
    fc.record({ monthlyBudget: fc.constantFrom(1000, 12_345.67, 0.5) }),
  ),
});

const requestArb = fc.record({
  node: fc.nat(2),
  // µs resolution, sometimes fractional ms, sometimes on window boundaries
  start: fc.oneof(
    fc.integer({ min: 0, max: SPAN_MS * 1000 }).map((us) => us / 1000),
    fc.constantFrom(0, 1000, 7000),
  ),
  duration: fc.oneof(
    fc.integer({ min: 0, max: 9_000_000 }).map((us) => us / 1000),
    fc.constant(0),
  ),
  input: fc.nat(4000),
  cached: fc.nat(4000),
  output: fc.nat(2000),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .tuple(configArb, fc.array(requestArb, { maxLength: 40 }), fc.integer({ min: 0, max: 5_000 }))
  .map(([raw, reqs, startOffset]) => {
    const gpu: GpuConfig = {
      nodes: raw.nodes.map((n, i) => ({
        id: `gpu-${i}`,
        ...n,
        ...(i === 1 ? { startTime: BASE + startOffset } : {}),
      })),
      window: raw.window,
      method: raw.method,
      idle: raw.idle,
      ...(raw.overhead ? { overhead: raw.overhead } : {}),
    };
    const config = resolveGpuConfig(gpu);
    const requests = reqs.map((r, i) => ({
      id: `r${String(i).padStart(3, '0')}`,
      nodeId: `gpu-${r.node % config.nodes.length}`,
      start: BASE + r.start,
      end: BASE + r.start + r.duration,
      usage: { inputTokens: r.input, cacheReadTokens: Math.min(r.cached, r.input), outputTokens: r.output },
    }));
    const to = Math.ceil((BASE + SPAN_MS + 10_000) / raw.window) * raw.window;
    return { config, requests, from: BASE, to };
  });

const RUNS = { numRuns: 120 };

function closeAll(s: Scenario): WindowClose[] {
  return allocatePeriod(s.config, s.requests, { from: s.from, to: s.to });
}

/** Brute-force reference: the elementary segments of a window on a node (clipped to its billed part). */
function segments(intervals: Array<[number, number]>, lo: number, hi: number) {
  const points = new Set<number>([lo, hi]);
  for (const [a, b] of intervals) {
    if (a > lo && a < hi) points.add(a);
    if (b > lo && b < hi) points.add(b);
  }
  const sorted = [...points].sort((x, y) => x - y);
  const result: Array<{ from: number; to: number; n: number }> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    const n = intervals.filter(([a, b]) => a <= from && b >= to && b > a).length;
    result.push({ from, to, n });
  }
  return result;
}

const us = (ms: number) => Math.round(ms * 1000);
/** Nodes without a start time bill from the first window of the period. */
const firstWindowUs = (s: Scenario) => Math.floor(s.from / s.config.windowMs) * s.config.windowMs * 1000;

function billedStart(s: Scenario, nodeId: string, windowStart: number): number {
  const node = s.config.nodes.find((n) => n.id === nodeId)!;
  return Math.max(us(windowStart), node.startUs ?? firstWindowUs(s));
}

describe('allocation invariants (allocation.md 1–7, 9), exact in micro-units', () => {
  it('1. conservation: Σ direct + idle = C(W) per node and window; windows sum to the period (5)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const closes = closeAll(s);
        for (const node of s.config.nodes) {
          let periodCost = 0;
          for (const close of closes) {
            const record = close.nodes.find((r) => r.nodeId === node.id);
            if (!record) continue;
            const parts = close.requests.filter((p) => p.nodeId === node.id);
            const direct = parts.reduce((sum, p) => sum + p.direct, 0);
            expect(direct).toBe(record.direct);
            expect(record.direct + record.idle).toBe(record.nodeCost);
            periodCost += record.nodeCost;
          }
          const origin = node.startUs ?? firstWindowUs(s);
          const lastWindowEnd = closes.at(-1)!.windowEnd;
          expect(periodCost).toBe(Number(nodeCostMicros(node.hourlyRate, origin, firstWindowUs(s), us(lastWindowEnd))));
        }
      }),
      RUNS,
    );
  });

  it('2. at each instant the shares sum to 1 (exactly, in 1/K µs units); busy cost = cost of busy time; idle instants go to idle', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const scale = timeScaleFor(s.config.windowMs);
        for (const close of closeAll(s)) {
          for (const record of close.nodes) {
            const lo = billedStart(s, record.nodeId, close.windowStart);
            const hi = us(close.windowEnd);
            const mine = s.requests.filter((r) => r.nodeId === record.nodeId);
            const intervals = mine.map((r): [number, number] => [Math.max(us(r.start), lo), Math.min(us(r.end!), hi)]);
            const segs = segments(intervals, lo, hi);
            const busyUs = segs.filter((g) => g.n > 0).reduce((sum, g) => sum + g.to - g.from, 0);
            expect(record.busyMs).toBe(busyUs / 1000);
            expect(record.direct).toBe(
              record.requests === 0 ? 0 : Number((BigInt(record.nodeCost) * BigInt(busyUs)) / BigInt(hi - lo)),
            );
            if (busyUs === 0) expect(record.idle).toBe(record.nodeCost);
            if (busyUs === hi - lo) expect(record.idle).toBe(0);
            // every request's time share is the sum over the segments it covers of ⌊dt·K/N⌋ (each of N gets 1/N)
            for (const part of close.requests.filter((p) => p.nodeId === record.nodeId)) {
              const r = mine.find((m) => m.id === part.requestId)!;
              const [a, b] = [Math.max(us(r.start), lo), Math.min(us(r.end!), hi)];
              const expected = segs
                .filter((g) => g.from >= a && g.to <= b && g.n > 0)
                .reduce((sum, g) => sum + segmentShare(g.to - g.from, scale, g.n), 0);
              expect(part.gpuSeconds).toBe(expected / scale / 1e6);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('3. shared idle: Σ (direct + idleShare) + idleResidual = C(W); the residual is 0 unless the window had no requests', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const close of closeAll(s)) {
          for (const record of close.nodes) {
            const parts = close.requests.filter((p) => p.nodeId === record.nodeId);
            const carried = parts.reduce((sum, p) => sum + p.direct + p.idleShare, 0);
            expect(carried + record.idleResidual).toBe(record.nodeCost);
            expect(parts.reduce((sum, p) => sum + p.idleShare, 0)).toBe(record.idleShared);
            if (s.config.idle === 'shared') expect(record.idleResidual).toBe(record.requests === 0 ? record.idle : 0);
            else expect(record.idleShared).toBe(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('4. Σ overhead_r = the overhead of the window (and budgets convert exactly)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const close of closeAll(s)) {
          let windowOverhead = 0;
          for (const record of close.nodes) {
            const parts = close.requests.filter((p) => p.nodeId === record.nodeId);
            expect(parts.reduce((sum, p) => sum + p.overhead, 0)).toBe(record.overheadAllocated);
            expect(record.overheadAllocated).toBe(record.requests > 0 ? record.overhead : 0);
            windowOverhead += record.overhead;
          }
          const overhead = s.config.overhead;
          if (overhead.kind === 'monthlyBudget' && close.nodes.length > 0) {
            const expected = monthlyBudgetMicros(overhead.monthlyBudget, us(close.windowStart), us(close.windowEnd));
            expect(windowOverhead).toBe(Number(expected));
          }
          if (overhead.kind === 'none') expect(windowOverhead).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('5. aggregation commutes: sums by any grouping of requests equal the sum over requests', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.constantFrom('alpha', 'beta', 'gamma'), { minLength: 40, maxLength: 40 }),
        (s, tags) => {
          const tagOf = new Map(s.requests.map((r, i) => [r.id, tags[i]!]));
          const parts = closeAll(s).flatMap((c) => c.requests);
          const byTag = new Map<string, number>();
          for (const p of parts)
            byTag.set(tagOf.get(p.requestId)!, (byTag.get(tagOf.get(p.requestId)!) ?? 0) + p.total);
          const byRequest = new Map<string, number>();
          for (const p of parts) byRequest.set(p.requestId, (byRequest.get(p.requestId) ?? 0) + p.total);
          const total = parts.reduce((sum, p) => sum + p.total, 0);
          expect([...byTag.values()].reduce((a, b) => a + b, 0)).toBe(total);
          expect([...byRequest.values()].reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
      RUNS,
    );
  });

  it('6. every component ≥ 0; a request spanning windows is split by time and its parts sum to its total', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const closes = closeAll(s);
        for (const close of closes) {
          for (const r of close.nodes) {
            for (const v of [r.nodeCost, r.direct, r.idle, r.idleShared, r.idleResidual, r.overhead, r.busyMs]) {
              expect(v).toBeGreaterThanOrEqual(0);
            }
          }
          for (const p of close.requests) {
            for (const v of [p.direct, p.idleShare, p.overhead, p.gpuSeconds]) expect(v).toBeGreaterThanOrEqual(0);
            expect(p.total).toBe(p.direct + p.idleShare + p.overhead);
          }
        }
        // the streaming engine's per-request total is the sum of the request's final window parts
        const allocator = new GpuAllocator(s.config, { startTime: firstWindowUs(s) / 1000 });
        const ended = feedInTimeOrder(allocator, s.requests);
        const finals = allocator.closeWindows(s.to).flatMap((c) => c.requests);
        for (const allocation of ended) {
          const mine = finals.filter((p) => p.requestId === allocation.requestId);
          const windows = mine.map((p) => p.windowStart);
          expect(new Set(windows).size).toBe(windows.length);
          const node = s.config.nodes.find((n) => n.id === allocation.nodeId)!;
          const billedFrom = Math.max(allocation.start, (node.startUs ?? firstWindowUs(s)) / 1000);
          if (allocation.end > billedFrom) {
            // split by time: the request has a part in exactly the windows it overlaps while the node bills
            const first = Math.floor(billedFrom / s.config.windowMs);
            const last = Math.ceil(allocation.end / s.config.windowMs);
            expect(mine.length).toBe(last - first);
          }
          const atEndSeconds = allocation.parts.reduce((sum, p) => sum + p.gpuSeconds, 0);
          expect(atEndSeconds).toBeCloseTo(
            mine.reduce((sum, p) => sum + p.gpuSeconds, 0),
            9,
          );
        }
      }),
      RUNS,
    );
  });

  it('7. adding a concurrent request never raises another request share', () => {
    fc.assert(
      fc.property(scenarioArb, requestArb, (s, extra) => {
        const before = closeAll(s).flatMap((c) => c.requests);
        const added: RequestInterval = {
          id: 'zz-added',
          nodeId: s.config.nodes[extra.node % s.config.nodes.length]!.id,
          start: BASE + extra.start,
          end: BASE + extra.start + extra.duration,
        };
        const after = allocatePeriod(s.config, [...s.requests, added], { from: s.from, to: s.to }).flatMap(
          (c) => c.requests,
        );
        const scale = timeScaleFor(s.config.windowMs);
        const units = (x: number) => Math.round(x * 1e6 * scale);
        for (const part of before) {
          const next = after.find((p) => p.requestId === part.requestId && p.windowStart === part.windowStart)!;
          expect(units(next.gpuSeconds)).toBeLessThanOrEqual(units(part.gpuSeconds));
        }
      }),
      RUNS,
    );
  });

  it('9. idempotent: re-running a window on the same input (in any order) gives identical results; streaming = batch', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (s, seed) => {
        const first = closeAll(s);
        const shuffled = shuffle(s.requests, seed);
        expect(allocatePeriod(s.config, shuffled, { from: s.from, to: s.to })).toEqual(first);
        expect(closeAll(s)).toEqual(first);
        const allocator = new GpuAllocator(s.config, { startTime: firstWindowUs(s) / 1000 });
        feedInTimeOrder(allocator, s.requests);
        expect(allocator.closeWindows(s.to)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('the time share returned at request end is within 3 micro-units per window of the final figure', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const config = resolveGpuConfig({
          nodes: s.config.nodes.map((n) => ({
            id: n.id,
            hourlyRate: Number(n.hourlyRate.num) / Number(n.hourlyRate.den),
          })),
          window: s.config.windowMs,
        });
        const allocator = new GpuAllocator(config, { startTime: firstWindowUs(s) / 1000 });
        const ended = feedInTimeOrder(allocator, s.requests);
        const finals = allocator.closeWindows(s.to).flatMap((c) => c.requests);
        for (const allocation of ended) {
          expect(allocation.exact).toBe(true);
          for (const part of allocation.parts) {
            const final = finals.find((p) => p.requestId === part.requestId && p.windowStart === part.windowStart);
            expect(Math.abs((final?.direct ?? 0) - part.direct)).toBeLessThanOrEqual(3);
          }
        }
      }),
      RUNS,
    );
  });
});

function feedInTimeOrder(allocator: GpuAllocator, requests: readonly RequestInterval[]) {
  const events = requests.flatMap((r) => [
    { t: r.start, kind: 0, r },
    { t: r.end!, kind: 1, r },
  ]);
  events.sort((a, b) => a.t - b.t || a.kind - b.kind);
  const ended = [];
  for (const e of events) {
    if (e.kind === 0) allocator.start(e.r.id, e.r.nodeId, e.t);
    else {
      const allocation = allocator.end(e.r.id, e.t, e.r.usage);
      if (allocation) ended.push(allocation);
    }
  }
  return ended;
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = items.slice();
  let state = seed >>> 0;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
