/**
 * Exact money arithmetic for prices.
 *
 * Rates are integers in femto-dollars (1e-15 USD) per unit: a catalog price of $2.50 per million tokens is
 * 2_500_000_000 femto-dollars per token, $0.075 per million is 75_000_000. Amounts are integers in
 * nano-dollars (1e-9 USD). A component's exact amount is `Σ units × rate` femto-dollars; it is rounded once,
 * half up, to whole nano-dollars. Everything stays in safe integers on the fast path and falls back to BigInt
 * when a product would leave the safe range, so the result is exact for any usage size.
 */

/** Femto-dollars in one nano-dollar. */
const FEMTO_PER_NANO = 1_000_000;
const FEMTO_PER_NANO_BIG = 1_000_000n;

/** Nano-dollars in one US dollar. */
export const NANOS_PER_USD = 1_000_000_000;

/**
 * Converts a price of `usd` per `per` units (the catalog's "per million tokens" is per = 1e6) to an integer rate in
 * femto-dollars per unit. Prices are quantized to 1e-15 USD per unit (1e-9 USD per million tokens).
 */
export function usdPerToFemtoRate(usd: number, per: number): number {
  return Math.round(usd * (1e15 / per));
}

/** Scales a femto rate by a service-tier multiplier, rounding to the nearest femto-dollar. */
export function scaleRate(rate: number, multiplier: number): number {
  return Math.round(rate * multiplier);
}

/**
 * The exact amount of up to three `units × rate` terms (rates in femto-dollars per unit), rounded once, half up, to
 * whole nano-dollars. Split arithmetic keeps the fast path in safe integers: rate = whole × 1e6 + frac, so
 * units × whole is nano-dollars and units × frac is femto-dollars. When a product would leave the safe range the
 * BigInt path computes the same value. Returns -1 when the total exceeds Number.MAX_SAFE_INTEGER nano-dollars
 * (about nine million dollars in one call); the price book reports that as unpriced rather than inexact.
 */
export function termsToNanos(u1: number, r1: number, u2: number, r2: number, u3: number, r3: number): number {
  const w1 = Math.floor(r1 / FEMTO_PER_NANO);
  const w2 = Math.floor(r2 / FEMTO_PER_NANO);
  const w3 = Math.floor(r3 / FEMTO_PER_NANO);
  const whole = u1 * w1 + u2 * w2 + u3 * w3;
  const frac = u1 * (r1 - w1 * FEMTO_PER_NANO) + u2 * (r2 - w2 * FEMTO_PER_NANO) + u3 * (r3 - w3 * FEMTO_PER_NANO);
  if (whole <= SAFE_LIMIT && frac <= SAFE_LIMIT) {
    const carry = Math.floor(frac / FEMTO_PER_NANO);
    const rest = frac - carry * FEMTO_PER_NANO;
    const total = whole + carry + (rest * 2 >= FEMTO_PER_NANO ? 1 : 0);
    if (Number.isSafeInteger(total)) return total;
  }
  return bigTermsToNanos(u1, r1, u2, r2, u3, r3);
}

/** Sums below this bound are exact however they were added; 2^53 / 16 leaves room for three terms and a carry. */
const SAFE_LIMIT = 2 ** 49;

function bigTermsToNanos(u1: number, r1: number, u2: number, r2: number, u3: number, r3: number): number {
  const femto = BigInt(u1) * BigInt(r1) + BigInt(u2) * BigInt(r2) + BigInt(u3) * BigInt(r3);
  const q = femto / FEMTO_PER_NANO_BIG;
  const r = femto % FEMTO_PER_NANO_BIG;
  const total = r * 2n >= FEMTO_PER_NANO_BIG ? q + 1n : q;
  return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : -1;
}

/** Converts integer nano-dollars to a USD number: the double nearest to nanos / 1e9. */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}
