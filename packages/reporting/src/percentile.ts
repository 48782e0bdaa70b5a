/**
 * Nearest-rank percentile over exact amounts: the smallest value with at least q·n values at or below it
 * (p50 of [1,2,3,4] is 2; p95 of 1..100 is 95). Always an observed value, so it stays an exact integer.
 */
export function percentile(sortedAscending: readonly bigint[], q: number): bigint | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n - 1e-9));
  return sortedAscending[Math.min(rank, n) - 1]!;
}

export function sortAmounts(values: bigint[]): bigint[] {
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
