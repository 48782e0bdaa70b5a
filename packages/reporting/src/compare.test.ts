import { createPriceBook } from '@costspan/pricing';
import { describe, expect, it } from 'vitest';
import { compareBuildVsBuy, measureNode, parseThroughput } from './compare.js';

describe('build vs buy', () => {
  const book = createPriceBook();

  it('matches a hand-computed break-even', () => {
    // gpt-4o-mini list price: $0.15/M input, $0.075/M cached input, $0.60/M output.
    // Profile 1000 input (200 cached) + 500 output: 800·0.15/M + 200·0.075/M + 500·0.6/M = $0.000435 per request.
    // Node at $2.49/h serving 12,000 requests/hour at full utilization.
    const result = compareBuildVsBuy(book, {
      hourlyRate: 2_490_000_000n,
      throughputPerHour: '12000',
      utilizations: [10, 20, 50, 80, 100],
      profile: { inputTokens: 1000, cachedTokens: 200, outputTokens: 500 },
      models: [{ provider: 'openai', model: 'gpt-4o-mini' }, { model: 'no-such-model-xyz' }],
    });
    // $2.49 / (12,000 · 0.1) = $0.002075 per request at 10 %; $0.0002075 at 100 %.
    expect(result.selfHosted).toEqual([
      { utilization: 10, costPerRequest: 2_075_000n },
      { utilization: 20, costPerRequest: 1_037_500n },
      { utilization: 50, costPerRequest: 415_000n },
      { utilization: 80, costPerRequest: 259_375n },
      { utilization: 100, costPerRequest: 207_500n },
    ]);
    const mini = result.api[0]!;
    expect(mini.pricePerRequest).toBe(435_000n);
    // break-even: $2.49 / $0.000435 = 5724.1379… requests/hour, i.e. 47.7 % of 12,000.
    expect(mini.breakEvenPerHour).toBeCloseTo(5724.137931, 5);
    expect(mini.breakEvenUtilization).toBeCloseTo(0.477011, 5);
    expect(result.api[1]).toMatchObject({ pricePerRequest: null, breakEvenPerHour: null });
  });

  it('measures a node from its windows', () => {
    const start = Date.UTC(2026, 9, 1);
    const windows = [0, 1].map((i) => ({
      node: 'gpu-a',
      start: start + i * 60_000,
      end: start + (i + 1) * 60_000,
      nodeCost: 41_500_000n, // $2.49/h for 60 s
      directCost: 0n,
      idleCost: 0n,
      idleSharedCost: 0n,
      overheadCost: 0n,
      busySeconds: 30,
      requests: 100,
    }));
    expect(measureNode(windows)).toEqual({ hourlyRate: 2_490_000_000n, throughputPerHour: '12000.000000' });
    expect(parseThroughput('0')).toBeNull();
    expect(parseThroughput('37.5')).toBe(37_500_000_000n);
  });
});
