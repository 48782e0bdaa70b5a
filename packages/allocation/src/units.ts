/** Micro-units (integer) → an amount in the currency, for writing to an attribute: 1_234_567 → 1.234567. */
export function microsToAmount(micros: number): number {
  return micros / 1_000_000;
}
