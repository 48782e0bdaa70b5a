import { floorDiv } from './rational.js';
import type { Rational } from './types.js';

/** µs per hour. */
const US_PER_HOUR = 3_600_000_000n;
/** micro-units per unit. */
const MICROS = 1_000_000n;

/**
 * Node cost accrued from `fromUs` to `toUs` (µs since the epoch) for a node billing from `originUs`, in micro-units.
 * Cumulative rounding: cost(a, b) = ⌊ρ·(b − origin)⌋ − ⌊ρ·(a − origin)⌋, so consecutive windows always sum to the
 * cost of the whole period, exactly, and no window is off by more than one micro-unit from ρ·|W|.
 */
export function nodeCostMicros(hourlyRate: Rational, originUs: number, fromUs: number, toUs: number): bigint {
  const a = Math.max(fromUs, originUs);
  if (toUs <= a) return 0n;
  return accrued(hourlyRate, toUs - originUs) - accrued(hourlyRate, a - originUs);
}

function accrued(hourlyRate: Rational, elapsedUs: number): bigint {
  return floorDiv(hourlyRate.num * MICROS * BigInt(elapsedUs), hourlyRate.den * US_PER_HOUR);
}

/**
 * Prices time shares: ⌊ρ · w / scale⌋ micro-units for `w` units of 1/scale µs of node time. The factors are
 * computed once per node; a price is one multiplication and one division.
 */
export function timeSharePricer(hourlyRate: Rational, scale: number): (weight: number) => number {
  const numerator = hourlyRate.num * MICROS;
  const denominator = hourlyRate.den * US_PER_HOUR * BigInt(scale);
  return (weight) => Number((numerator * BigInt(weight)) / denominator);
}

/**
 * The one exact split: `total` into integer parts proportional to `weights` (largest remainder, Hamilton's method).
 * Each part is ⌊total·w/Σw⌋ or one more, the parts sum to `total` exactly, ties go to the lower index. When every
 * weight is 0 the total is split equally the same way. A negative total is split as the negation of the positive
 * split. Weights must be ≥ 0 (RangeError otherwise). An empty list returns an empty list (the caller keeps the
 * total). Used for GPU node time here and for invoice variances in reporting.
 */
export function largestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  const n = weights.length;
  if (n === 0) return [];
  if (total < 0n) return largestRemainder(-total, weights).map((v) => -v);
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError('weights must be non-negative');
    sum += w;
  }
  const effective = sum === 0n ? weights.map(() => 1n) : weights;
  const denominator = sum === 0n ? BigInt(n) : sum;
  const parts: bigint[] = new Array(n);
  const remainders: bigint[] = new Array(n);
  let assigned = 0n;
  for (let i = 0; i < n; i++) {
    const product = total * effective[i]!;
    const part = product / denominator;
    parts[i] = part;
    remainders[i] = product - part * denominator;
    assigned += part;
  }
  let left = total - assigned;
  if (left > 0n) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
    for (let k = 0; left > 0n; k++, left--) {
      const i = order[k % n]!;
      parts[i] = parts[i]! + 1n;
    }
  }
  return parts;
}

/** ⌊value · r⌋ for a non-negative BigInt and rational. */
export function scaleFloor(value: bigint, r: Rational): bigint {
  return floorDiv(value * r.num, r.den);
}
