/** Micro-units (integer) → an amount in the currency, for writing to an attribute: 1_234_567 → 1.234567. */
export function microsToAmount(micros: number): number {
  return micros / 1_000_000;
}

/**
 * Micro-units → nano-units of the same currency: the one converter at allocation's boundary. Allocation counts node
 * time in micro-units (exact, cumulative rounding per node); the rest of costspan counts nano-dollars.
 */
export function microsToNanos(micros: bigint): bigint;
export function microsToNanos(micros: number): number;
export function microsToNanos(micros: bigint | number): bigint | number {
  return typeof micros === 'bigint' ? micros * 1000n : micros * 1000;
}
