import { describe, expect, it } from 'vitest';
import { allocatePeriod } from './allocate-period.js';
import { resolveGpuConfig } from './config.js';
import type { GpuConfig, RequestInterval } from './types.js';

const T0 = Date.UTC(2026, 2, 2, 12, 0, 0); // a minute boundary
const node = { id: 'gpu-a', hourlyRate: 3.6 }; // $3.60/h = $0.06 per minute = 1 µ$ per ms

function run(gpu: Partial<GpuConfig>, requests: RequestInterval[], minutes = 1) {
  const config = resolveGpuConfig({ nodes: [node], ...gpu });
  return allocatePeriod(config, requests, { from: T0, to: T0 + minutes * 60_000 });
}

describe('allocateWindow', () => {
  it('splits a request spanning two windows by time', () => {
    const [first, second] = run({}, [{ id: 'r', nodeId: 'gpu-a', start: T0 + 45_000, end: T0 + 75_000 }], 2);
    expect(first!.requests).toEqual([
      expect.objectContaining({ requestId: 'r', windowStart: T0, direct: 15_000, gpuSeconds: 15, final: true }),
    ]);
    expect(second!.requests).toEqual([
      expect.objectContaining({ requestId: 'r', windowStart: T0 + 60_000, direct: 15_000, gpuSeconds: 15 }),
    ]);
    expect(first!.nodes[0]).toMatchObject({ nodeCost: 60_000, direct: 15_000, idle: 45_000, utilization: 0.25 });
  });

  it('reports a window with no requests as all idle, and a node that served nobody still reports its cost', () => {
    const config = resolveGpuConfig({ nodes: [node, { id: 'gpu-b', gpus: 8, gpuHourlyRate: 6.88 }] });
    const closes = allocatePeriod(config, [{ id: 'r', nodeId: 'gpu-a', start: T0 + 1_000, end: T0 + 2_000 }], {
      from: T0,
      to: T0 + 120_000,
    });
    expect(closes).toHaveLength(2);
    const idleWindow = closes[1]!.nodes.find((r) => r.nodeId === 'gpu-a')!;
    expect(idleWindow).toMatchObject({ nodeCost: 60_000, direct: 0, idle: 60_000, requests: 0, utilization: 0 });
    // 8 × $6.88/h = $55.04/h: 917,333.3… µ$ a minute, rounded cumulatively, so two minutes are exactly 1,834,666
    const idleNode = closes.map((c) => c.nodes.find((r) => r.nodeId === 'gpu-b')!);
    expect(idleNode.map((r) => r.nodeCost)).toEqual([917_333, 917_333]);
    expect(idleNode.map((r) => r.idle)).toEqual([917_333, 917_333]);
    const three = allocatePeriod(config, [], { from: T0, to: T0 + 180_000 });
    expect(three.reduce((sum, c) => sum + c.nodes[1]!.nodeCost, 0)).toBe(2_752_000);
  });

  it('at 20 % utilization the requests carry the whole node when idle is shared', () => {
    const requests = [
      { id: 'a', nodeId: 'gpu-a', start: T0, end: T0 + 8_000 },
      { id: 'b', nodeId: 'gpu-a', start: T0 + 30_000, end: T0 + 34_000 },
    ];
    const separate = run({}, requests)[0]!;
    expect(separate.nodes[0]).toMatchObject({ utilization: 0.2, direct: 12_000, idle: 48_000, idleResidual: 48_000 });
    const shared = run({ idle: 'shared' }, requests)[0]!;
    expect(shared.requests.map((p) => [p.requestId, p.direct, p.idleShare, p.total])).toEqual([
      ['a', 8_000, 32_000, 40_000],
      ['b', 4_000, 16_000, 20_000],
    ]);
    expect(shared.nodes[0]).toMatchObject({ idleShared: 48_000, idleResidual: 0 });
  });

  it('splits the busy time equally among the requests in flight at each instant', () => {
    // a: [0, 30 s), b: [10 s, 20 s): 10 s alone, 10 s shared, 10 s alone → a gets 25 s, b 5 s
    const [close] = run({}, [
      { id: 'a', nodeId: 'gpu-a', start: T0, end: T0 + 30_000 },
      { id: 'b', nodeId: 'gpu-a', start: T0 + 10_000, end: T0 + 20_000 },
    ]);
    expect(close!.requests.map((p) => [p.requestId, p.gpuSeconds, p.direct])).toEqual([
      ['a', 25, 25_000],
      ['b', 5, 5_000],
    ]);
  });

  it("reproduces the seed's worked example: C(W)/requests(W) at 200, 1,200 and 4,000 requests per hour", () => {
    for (const [perHour, each] of [
      [200, 18_000],
      [1_200, 3_000],
      [4_000, 900],
    ] as const) {
      const gap = 3_600_000 / perHour;
      const requests = Array.from({ length: perHour }, (_, i) => ({
        id: `r${String(i).padStart(4, '0')}`,
        nodeId: 'gpu-a',
        start: T0 + i * gap,
        end: T0 + i * gap + 500,
      }));
      const [hour] = allocatePeriod(
        resolveGpuConfig({ nodes: [node], window: 3_600_000, method: 'requests', idle: 'shared' }),
        requests,
        { from: T0, to: T0 + 3_600_000 },
      );
      expect(hour!.nodes[0]!.nodeCost).toBe(3_600_000);
      expect(new Set(hour!.requests.map((p) => p.total))).toEqual(new Set([each]));
    }
  });

  it('splits the busy cost by weighted tokens with method tokens', () => {
    const [close] = run({ method: 'tokens', tokenWeights: { input: 1, cachedInput: 0, output: 4 } }, [
      { id: 'a', nodeId: 'gpu-a', start: T0, end: T0 + 6_000, usage: { inputTokens: 1000, outputTokens: 0 } },
      {
        id: 'b',
        nodeId: 'gpu-a',
        start: T0,
        end: T0 + 6_000,
        usage: { inputTokens: 1500, cacheReadTokens: 1000, outputTokens: 500 },
      },
    ]);
    // weights 1000 and 500 + 0·1000 + 4·500 = 2500; busy 6 s = 6,000 µ$
    expect(close!.requests.map((p) => p.direct)).toEqual([Math.round((6000 * 1000) / 3500), 6000 - 1714]);
  });

  it('adds a flat overhead percentage on what requests carry', () => {
    const [close] = run({ overhead: { percent: 10 }, idle: 'shared' }, [
      { id: 'a', nodeId: 'gpu-a', start: T0, end: T0 + 6_000 },
    ]);
    expect(close!.requests[0]).toMatchObject({ direct: 6_000, idleShare: 54_000, overhead: 6_000, total: 66_000 });
    expect(close!.nodes[0]).toMatchObject({ overhead: 6_000, overheadAllocated: 6_000 });
  });

  it('converts a monthly overhead budget exactly to each window and keeps it on a node that served nobody', () => {
    // $2,592/month in a 30-day month (April): $0.06 a minute
    const april = Date.UTC(2026, 3, 10, 0, 0, 0);
    const config = resolveGpuConfig({ nodes: [node], overhead: { monthlyBudget: 2592 } });
    const [busy, quiet] = allocatePeriod(config, [{ id: 'a', nodeId: 'gpu-a', start: april, end: april + 1_000 }], {
      from: april,
      to: april + 120_000,
    });
    expect(busy!.requests[0]!.overhead).toBe(60_000);
    expect(quiet!.nodes[0]).toMatchObject({ overhead: 60_000, overheadAllocated: 0 });
  });

  it('ignores requests on unknown nodes and counts a node that starts mid-window only from its start', () => {
    const config = resolveGpuConfig({ nodes: [{ ...node, startTime: new Date(T0 + 30_000) }] });
    const [close] = allocatePeriod(
      config,
      [
        { id: 'x', nodeId: 'elsewhere', start: T0, end: T0 + 1000 },
        { id: 'a', nodeId: 'gpu-a', start: T0 + 20_000, end: T0 + 45_000 },
      ],
      { from: T0, to: T0 + 60_000 },
    );
    expect(close!.nodes[0]).toMatchObject({ nodeCost: 30_000, direct: 15_000, idle: 15_000, utilization: 0.5 });
    expect(close!.requests.map((p) => p.requestId)).toEqual(['a']);
  });
});
