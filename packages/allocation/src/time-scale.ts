/**
 * Time shares are integers in units of 1/K µs of node time. K is the largest power of two for which a whole
 * window fits a safe integer (|W|µs · K ≤ 2^53), so per-window integrals never lose integer exactness:
 * 2^27 for 60 s windows, 2^16 for one-day windows.
 */
export function timeScaleFor(windowMs: number): number {
  const windowUs = windowMs * 1000;
  let scale = 1;
  while (windowUs * scale * 2 <= 2 ** 53) scale *= 2;
  return scale;
}

/**
 * ⌊dtUs · K / n⌋ exactly: each of the n requests in flight over a segment of dtUs gets this many units.
 * dtUs · K is an exact double (≤ 2^53); the quotient is corrected for the division's rounding.
 */
export function segmentShare(dtUs: number, scale: number, n: number): number {
  const x = dtUs * scale;
  let q = Math.floor(x / n);
  if (q * n > x) q -= 1;
  else if ((q + 1) * n <= x) q += 1;
  return q;
}

/** ms (possibly fractional) → whole µs. */
export function toUs(ms: number): number {
  return Math.round(ms * 1000);
}
