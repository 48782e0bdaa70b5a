import { describe, expect, it } from 'vitest';
import { report, SCENARIOS, simulate } from './simulate.mjs';

describe('utilization example', () => {
  const results = SCENARIOS.map((perHour) => simulate(perHour));

  it('charges exactly the node cost every hour, whatever the throughput', () => {
    for (const r of results) {
      expect(r.windows).toBe(1);
      expect(r.nodeCost).toBe(3_600_000);
      expect(r.requestTotal).toBe(r.nodeCost);
      expect(r.direct + r.idle).toBe(r.nodeCost);
    }
  });

  it('per-request cost falls as throughput rises while the node rate stays the same', () => {
    const fullyLoaded = results.map((r) => r.requestTotal / r.perHour);
    expect(fullyLoaded).toEqual([18_000, 3_000, 900]);
    const direct = results.map((r) => r.requestDirect / r.perHour);
    expect(direct[0]).toBeGreaterThanOrEqual(direct[1]!);
    expect(direct[1]).toBeGreaterThan(direct[2]!);
    const utilization = results.map((r) => r.busyMs);
    expect(utilization[0]).toBeLessThan(utilization[1]!);
    expect(utilization[1]).toBeLessThan(utilization[2]!);
  });

  it('is deterministic and prints one line per scenario', () => {
    expect(SCENARIOS.map((perHour) => simulate(perHour))).toEqual(results);
    const text = report(results);
    expect(text).toContain('$0.018000');
    expect(text).toContain('$0.003000');
    expect(text).toContain('$0.000900');
  });
});
