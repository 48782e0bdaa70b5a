import { describe, expect, it } from 'vitest';
import { dayStart, exceedsOn, projectMonth } from './forecast-model.js';

const DAY = 86_400_000;
const USD = 1_000_000_000;
const utc = (iso: string) => Date.parse(iso);

/** Daily spend from `from` (inclusive) to `to` (exclusive) by a function of the day, in whole nano-dollars. */
function series(from: number, to: number, usdOfDay: (day: number, i: number) => number): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (let day = from, i = 0; day < to; day += DAY, i++) out.set(day, BigInt(Math.round(usdOfDay(day, i) * USD)));
  return out;
}

const sum = (m: Map<number, bigint>, from: number, to: number) =>
  [...m].filter(([d]) => d >= from && d < to).reduce((s, [, v]) => s + v, 0n);

/** A seeded generator (mulberry32) so the noisy backtests are repeatable. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weekend = (day: number) => [0, 6].includes(new Date(day).getUTCDay());
const DEC = { start: utc('2026-12-01T00:00:00Z'), end: utc('2027-01-01T00:00:00Z') };

describe('projectMonth backtests on series with known answers', () => {
  it('a flat $10 a day: the month-end is exact and the interval closes on it', () => {
    const data = series(utc('2026-11-01T00:00:00Z'), DEC.end, () => 10);
    const asOf = utc('2026-12-11T00:00:00Z');
    const p = projectMonth(data, DEC.start, DEC.end, asOf);
    expect(p.monthToDateNanos).toBe(100n * BigInt(USD));
    expect(p.projectedNanos).toBe(310n * BigInt(USD));
    expect(p.lowNanos).toBe(p.projectedNanos);
    expect(p.highNanos).toBe(p.projectedNanos);
    expect(p.weekdayFactors.every((f) => Math.abs(f - 1) < 1e-12)).toBe(true);
  });

  it('weekdays $10, weekends $2: day-of-week seasonality projects the month within 0.1 %', () => {
    const data = series(utc('2026-10-20T00:00:00Z'), DEC.end, (d) => (weekend(d) ? 2 : 10));
    const p = projectMonth(data, DEC.start, DEC.end, utc('2026-12-09T00:00:00Z'));
    const actual = sum(data, DEC.start, DEC.end);
    expect(Math.abs(Number(p.projectedNanos - actual)) / Number(actual)).toBeLessThan(0.001);
    // Without seasonality the flat mean would miss: December 2026 has 23 weekdays and 8 weekend days.
    expect(actual).toBe(BigInt((23 * 10 + 8 * 2) * USD));
    expect(p.weekdayFactors[5]! / p.weekdayFactors[0]!).toBeCloseTo(0.2, 6);
  });

  it('growth of $0.50 a day: the trend projects the month within 0.1 %', () => {
    const from = utc('2026-11-05T00:00:00Z');
    const data = series(from, DEC.end, (_, i) => 5 + 0.5 * i);
    const p = projectMonth(data, DEC.start, DEC.end, utc('2026-12-15T00:00:00Z'));
    const actual = sum(data, DEC.start, DEC.end);
    expect(Math.abs(Number(p.projectedNanos - actual)) / Number(actual)).toBeLessThan(0.001);
    expect(p.trendPerDayNanos / USD).toBeCloseTo(0.5, 6);
  });

  it('counts the spend of the as-of day so far and projects only its remaining part', () => {
    const data = series(utc('2026-11-20T00:00:00Z'), utc('2026-12-10T00:00:00Z'), () => 24);
    data.set(utc('2026-12-10T00:00:00Z'), 6n * BigInt(USD)); // 6 hours of $1/h so far
    const p = projectMonth(data, DEC.start, DEC.end, utc('2026-12-10T06:00:00Z'));
    expect(p.monthToDateNanos).toBe(BigInt((9 * 24 + 6) * USD));
    expect(p.projectedNanos).toBe(BigInt(31 * 24 * USD));
    expect(p.daily[0]).toEqual({ day: utc('2026-12-10T00:00:00Z'), nanos: 18 * USD });
  });

  it('noisy series (seasonality × trend × ±15 % noise): mean error under 4 %, 90 % interval holds ≥ 80 % of months', () => {
    const random = rng(20261130);
    let errors = 0;
    let inside = 0;
    const runs = 60;
    for (let r = 0; r < runs; r++) {
      const level = 5 + random() * 95;
      const growth = (random() - 0.3) * 0.02; // −0.6 % … +1.4 % a day
      const weekendShare = 0.2 + random() * 0.8;
      const from = utc('2026-10-15T00:00:00Z');
      const data = series(from, DEC.end, (d, i) => {
        const noise = 1 + (random() * 2 - 1) * 0.15;
        return level * (1 + growth * i) * (weekend(d) ? weekendShare : 1) * noise;
      });
      const asOf = utc('2026-12-15T00:00:00Z');
      const p = projectMonth(data, DEC.start, DEC.end, asOf);
      const actual = sum(data, DEC.start, DEC.end);
      errors += Math.abs(Number(p.projectedNanos - actual)) / Number(actual);
      if (actual >= p.lowNanos && actual <= p.highNanos) inside += 1;
    }
    expect(errors / runs).toBeLessThan(0.04);
    expect(inside / runs).toBeGreaterThanOrEqual(0.8);
  });

  it('a finished month is its exact spend; a group without a complete day yet projects its spend so far', () => {
    const data = series(utc('2026-11-01T00:00:00Z'), utc('2026-12-01T00:00:00Z'), () => 1.000000001);
    const nov = projectMonth(data, utc('2026-11-01T00:00:00Z'), DEC.start, utc('2026-12-20T00:00:00Z'));
    expect(nov.projectedNanos).toBe(30n * 1_000_000_001n);
    expect(nov.highNanos).toBe(nov.projectedNanos);
    const fresh = new Map([[utc('2026-12-05T00:00:00Z'), 7n]]);
    const p = projectMonth(fresh, DEC.start, DEC.end, utc('2026-12-05T12:00:00Z'));
    expect(p).toMatchObject({ monthToDateNanos: 7n, projectedNanos: 7n, daysFitted: 0 });
  });

  it('finds the day a monthly budget is reached (the burn-rate alert)', () => {
    const data = series(utc('2026-11-01T00:00:00Z'), DEC.end, () => 10);
    const p = projectMonth(data, DEC.start, DEC.end, utc('2026-12-11T00:00:00Z'));
    expect(exceedsOn(p, 250n * BigInt(USD))).toBe(utc('2026-12-25T00:00:00Z'));
    expect(exceedsOn(p, 400n * BigInt(USD))).toBeNull();
    expect(dayStart(utc('2026-12-25T13:00:00Z'))).toBe(utc('2026-12-25T00:00:00Z'));
  });
});
