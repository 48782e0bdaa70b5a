import { floorDiv } from './rational.js';
import type { Rational } from './types.js';

const MICROS = 1_000_000n;

/**
 * The part of a monthly budget that falls in [fromUs, toUs), in micro-units. A "month" is a UTC calendar
 * month: a window inside March gets budget·|W| / (31 days); inside February 2028, budget·|W| / (29 days).
 * Within each month the rounding is cumulative from the month's first instant, so the windows of every calendar
 * month sum to the budget exactly. A window that crosses a month boundary takes its part of each month.
 */
export function monthlyBudgetMicros(budget: Rational, fromUs: number, toUs: number): bigint {
  let total = 0n;
  let cursor = fromUs;
  while (cursor < toUs) {
    const [monthStart, monthEnd] = monthBoundsUs(cursor);
    const segmentEnd = Math.min(toUs, monthEnd);
    const length = BigInt(monthEnd - monthStart);
    const upTo = (t: number) => floorDiv(budget.num * MICROS * BigInt(t - monthStart), budget.den * length);
    total += upTo(segmentEnd) - upTo(cursor);
    cursor = segmentEnd;
  }
  return total;
}

/** [start, end) in µs of the UTC calendar month containing `us`. */
export function monthBoundsUs(us: number): [number, number] {
  const date = new Date(Math.floor(us / 1000));
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return [Date.UTC(year, month, 1) * 1000, Date.UTC(year, month + 1, 1) * 1000];
}
