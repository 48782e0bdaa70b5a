import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanosToUsd, scaleRate, termsToNanos, usdPerToFemtoRate } from './money.js';

describe('money', () => {
  it('converts catalog prices to exact femto-dollar rates', () => {
    expect(usdPerToFemtoRate(2.5, 1e6)).toBe(2_500_000_000);
    expect(usdPerToFemtoRate(0.075, 1e6)).toBe(75_000_000);
    expect(usdPerToFemtoRate(0.3, 1e6)).toBe(300_000_000);
    expect(usdPerToFemtoRate(10, 1e3)).toBe(10_000_000_000_000);
    expect(scaleRate(2_500_000_000, 0.5)).toBe(1_250_000_000);
  });

  it('rounds each component once, half up, to whole nano-dollars', () => {
    // $0.075/M is 75 nano-dollars a token, exactly.
    expect(termsToNanos(1, 75_000_000, 0, 0, 0, 0)).toBe(75);
    // 75,000 femto-dollars a token is 0.075 nano-dollars: 1 token rounds to 0, 7 tokens (0.525) to 1.
    expect(termsToNanos(1, 75_000, 0, 0, 0, 0)).toBe(0);
    expect(termsToNanos(7, 75_000, 0, 0, 0, 0)).toBe(1);
    // 0.5 exactly rounds up; the sum of the terms is rounded, not each term.
    expect(termsToNanos(1, 500_000, 0, 0, 0, 0)).toBe(1);
    expect(termsToNanos(1, 400_000, 1, 400_000, 0, 0)).toBe(1);
    expect(nanosToUsd(7_500_000)).toBe(0.0075);
  });

  it('matches a BigInt reference for any size, including past the safe-integer fast path', () => {
    const units = fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.maxSafeNat());
    const rate = fc.oneof(fc.integer({ min: 0, max: 600_000_000_000 }), fc.integer({ min: 0, max: 99 }));
    fc.assert(
      fc.property(units, rate, units, rate, units, rate, (u1, r1, u2, r2, u3, r3) => {
        const femto = BigInt(u1) * BigInt(r1) + BigInt(u2) * BigInt(r2) + BigInt(u3) * BigInt(r3);
        const q = femto / 1_000_000n;
        const expected = femto % 1_000_000n >= 500_000n ? q + 1n : q;
        const got = termsToNanos(u1, r1, u2, r2, u3, r3);
        if (expected > BigInt(Number.MAX_SAFE_INTEGER)) expect(got).toBe(-1);
        else expect(got).toBe(Number(expected));
      }),
      { numRuns: 2000 },
    );
  });
});
