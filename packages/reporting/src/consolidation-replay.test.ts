import { resolveGpuConfig } from '@costspan/allocation';
import { describe, expect, it } from 'vitest';
import { ConsolidationReplay, type ReplayRequest } from './consolidation-replay.js';

// Three nodes at $3.60/h = $0.001 (1,000 micro-dollars) a second, 60 s windows, from T0 (a window boundary).
const T0 = Date.parse('2026-11-02T10:00:00Z') * 1000;
const config = resolveGpuConfig({
  nodes: [
    { id: 'a', hourlyRate: 3.6 },
    { id: 'b', hourlyRate: 3.6 },
    { id: 'c', hourlyRate: 3.6 },
  ],
  window: 60_000,
});
const s = (seconds: number) => T0 + seconds * 1_000_000;
// a: 0–10 s and 5–15 s (two at once), b: 20–30 s, c: 40–50 s. Busy time: 15 + 10 + 10 = 35 s.
const timeline: ReplayRequest[] = [
  { startUs: s(0), endUs: s(10), node: 'a' },
  { startUs: s(5), endUs: s(15), node: 'a' },
  { startUs: s(20), endUs: s(30), node: 'b' },
  { startUs: s(40), endUs: s(50), node: 'c' },
];

function replay(limit: number) {
  const r = new ConsolidationReplay(config, limit);
  for (const request of timeline) r.add(request);
  return r.finish();
}

describe('ConsolidationReplay on a hand-checkable timeline', () => {
  it('prices the observed placement and 1..3 nodes with the allocation engine (limit 2)', () => {
    const [observed, one, two, three] = replay(2);
    // Observed: 3 nodes × 60 s × 1,000 µ$/s; 35 busy seconds of 180.
    expect(observed).toEqual({
      scenario: 'observed',
      nodes: ['a', 'b', 'c'],
      requests: 4,
      nodeCostMicros: 180_000n,
      directMicros: 35_000n,
      utilization: 35 / 180,
      idleShare: 0.805555,
      peakInFlight: 2,
      p99InFlight: 2,
      limit: null,
      queued: 0,
      maxWaitMs: 0,
    });
    // One node holds all four (never more than two at once): 60 s of cost, 35 s busy.
    expect(one).toMatchObject({
      scenario: 1,
      nodes: ['a'],
      nodeCostMicros: 60_000n,
      directMicros: 35_000n,
      utilization: 35 / 60,
      idleShare: 0.416666,
      peakInFlight: 2,
      limit: 2,
      queued: 0,
    });
    // First fit keeps everything on a; b (and c) only add idle cost.
    expect(two).toMatchObject({ nodeCostMicros: 120_000n, directMicros: 35_000n, utilization: 35 / 120 });
    expect(three).toMatchObject({ nodeCostMicros: 180_000n, directMicros: 35_000n, utilization: 35 / 180 });
  });

  it('makes a request wait for a slot when every node is at its limit (limit 1)', () => {
    const [, one, two] = replay(1);
    // One node: the 5 s request waits until 10 s and runs 10–20 s; busy 0–30 s and 40–50 s.
    expect(one).toMatchObject({
      nodeCostMicros: 60_000n,
      directMicros: 40_000n,
      utilization: 40 / 60,
      peakInFlight: 1,
      p99InFlight: 1,
      queued: 1,
      maxWaitMs: 5_000,
    });
    // Two nodes: it goes to b instead (5–15 s), nobody waits.
    expect(two).toMatchObject({ nodeCostMicros: 120_000n, directMicros: 40_000n, queued: 0, maxWaitMs: 0 });
  });

  it('bills the idle windows between requests', () => {
    const r = new ConsolidationReplay(config, 4);
    r.add({ startUs: s(0), endUs: s(30), node: 'a' });
    r.add({ startUs: s(300), endUs: s(330), node: 'b' }); // five minutes later: windows 60–300 s are idle
    const [observed, one] = r.finish();
    expect(observed).toMatchObject({ nodeCostMicros: 3n * 360_000n, directMicros: 60_000n });
    expect(one).toMatchObject({ nodeCostMicros: 360_000n, directMicros: 60_000n, utilization: 60 / 360 });
  });
});
