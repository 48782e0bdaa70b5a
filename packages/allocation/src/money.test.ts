import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, nodeCostMicros } from './money.js';
import { monthlyBudgetMicros } from './monthly-budget.js';
import { multiplyRational, rationalFromNumber } from './rational.js';

describe('exact money', () => {
  it('reads a rate as the decimal it was written as', () => {
    expect(rationalFromNumber(3.6)).toEqual({ num: 18n, den: 5n });
    expect(rationalFromNumber(0.8048)).toEqual({ num: 503n, den: 625n });
    expect(rationalFromNumber(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(multiplyRational(rationalFromNumber(8), rationalFromNumber(6.88))).toEqual({ num: 1376n, den: 25n });
  });

  it('converts node cost exactly: $3.60/h is 60,000 µ$ a minute; windows always sum to the period', () => {
    const rate = rationalFromNumber(3.6);
    expect(nodeCostMicros(rate, 0, 0, 60_000_000)).toBe(60_000n);
    const odd = rationalFromNumber(0.8048); // 13,413.33… µ$ a minute
    let sum = 0n;
    for (let m = 0; m < 60; m++) sum += nodeCostMicros(odd, 0, m * 60_000_000, (m + 1) * 60_000_000);
    expect(sum).toBe(804_800n);
    expect(nodeCostMicros(odd, 5_000_000, 0, 60_000_000)).toBe(nodeCostMicros(odd, 5_000_000, 5_000_000, 60_000_000));
  });

  it('largest remainder conserves the total and stays within one unit of each exact quota', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n })), (t, w) => {
        const parts = largestRemainder(t, w);
        if (w.length === 0) {
          expect(parts).toEqual([]);
          return;
        }
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(t);
        const sum = w.reduce((a, b) => a + b, 0n);
        parts.forEach((p, i) => {
          const quota = sum === 0n ? t / BigInt(w.length) : (t * w[i]!) / sum;
          expect(p >= quota && p <= quota + 1n).toBe(true);
        });
      }),
    );
    expect(largestRemainder(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
  });

  it('largest remainder splits a negative total as the negation of the positive split, and refuses negative weights', () => {
    expect(largestRemainder(-10n, [1n, 1n, 1n])).toEqual([-4n, -3n, -3n]);
    expect(largestRemainder(7n, [0n, 0n])).toEqual([4n, 3n]);
    expect(() => largestRemainder(5n, [1n, -1n])).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = largestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          expect(parts).toEqual(largestRemainder(-total, weights).map((p) => -p));
        },
      ),
    );
  });

  it('spreads a monthly budget so every UTC calendar month sums to it exactly', () => {
    const budget = rationalFromNumber(720);
    const feb = Date.UTC(2026, 1, 1) * 1000;
    const mar = Date.UTC(2026, 2, 1) * 1000;
    let sum = 0n;
    for (let t = feb; t < mar; t += 60_000_000) sum += monthlyBudgetMicros(budget, t, t + 60_000_000);
    expect(sum).toBe(720_000_000n);
    // a 7-minute window across the Jan/Feb boundary takes 3.5 minutes of each month
    const cross = monthlyBudgetMicros(budget, feb - 210_000_000, feb + 210_000_000);
    const jan = (720_000_000n * 210n) / (31n * 86_400n);
    const febPart = (720_000_000n * 210n) / (28n * 86_400n);
    expect(cross === jan + febPart || cross === jan + febPart + 1n).toBe(true);
  });
});
