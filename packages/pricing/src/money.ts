/**
 * The money module: every amount in costspan is an integer count of nano-dollars (1e-9 USD) — a `number` on the hot
 * path (exact below 2^53), a `bigint` where sums grow (reporting, budgets) — so totals conserve. This file holds the
 * conversions to and from it: prices to nanos here, USD floats on span attributes (`nanosToUsd`, `usdToNanos`),
 * decimal text in invoices and JSON (`parseDecimalToNanos`, `formatUsd`). Allocation counts micro-units of a node's
 * currency and converts at its boundary with `microsToNanos` (@costspan/allocation); exact splits are allocation's
 * `largestRemainder`.
 *
 * Prices:
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
const NANOS_PER_USD_BIG = 1_000_000_000n;
/** Decimals of a dollar that nano-dollars hold. */
const SCALE = 9;

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

/**
 * Integer nano-dollars for a reported float amount (as an attribute carries it), or undefined when it is not a
 * finite, non-negative, safe amount. The inverse of `nanosToUsd` for every amount it writes.
 */
export function usdToNanos(amount: number): number | undefined {
  if (!Number.isFinite(amount) || amount < 0) return undefined;
  const nanos = Math.round(amount * NANOS_PER_USD);
  return Number.isSafeInteger(nanos) ? nanos : undefined;
}

/** Text that is not an amount: named in the message, never read as 0. */
export class MoneyParseError extends Error {}

/**
 * Parses a decimal string (optional sign, digits, optional fraction, optional exponent) into integer nano-dollars,
 * digit by digit (never through a float multiplication), rounded half-to-even only past nine decimals of a dollar.
 * `shift` moves the decimal point: a USD string uses 0, a cents string uses -2 (cents → dollars).
 */
export function parseDecimalToNanos(text: string, shift = 0): bigint {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!match || (match[2] === '' && (match[3] === undefined || match[3] === ''))) {
    throw new MoneyParseError(`not a decimal amount: ${JSON.stringify(text)}`);
  }
  const sign = match[1] === '-' ? -1n : 1n;
  const intDigits = match[2] ?? '';
  const fracDigits = match[3] ?? '';
  const exponent = Number(match[4] ?? '0') + shift;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new MoneyParseError(`amount out of range: ${JSON.stringify(text)}`);
  }
  const digits = (intDigits + fracDigits).replace(/^0+(?=\d)/, '') || '0';
  // value = digits × 10^(exponent − fracDigits.length); we want value × 10^SCALE.
  const power = exponent - fracDigits.length + SCALE;
  const magnitude = BigInt(digits);
  if (power >= 0) return sign * magnitude * 10n ** BigInt(power);
  return sign * roundHalfEven(magnitude, 10n ** BigInt(-power));
}

/** Parses a USD amount given as a JSON number or a decimal string. Numbers are read through their shortest decimal text. */
export function parseUsd(value: unknown): bigint {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyParseError(`not a finite amount: ${value}`);
    return parseDecimalToNanos(String(value));
  }
  if (typeof value === 'string') return parseDecimalToNanos(value);
  throw new MoneyParseError(`not an amount: ${JSON.stringify(value)}`);
}

/** Parses an amount of cents given as a decimal string ("123.45" = $1.2345). */
export function parseCents(value: unknown): bigint {
  if (typeof value === 'string') return parseDecimalToNanos(value, -2);
  if (typeof value === 'number' && Number.isFinite(value)) return parseDecimalToNanos(String(value), -2);
  throw new MoneyParseError(`not an amount in cents: ${JSON.stringify(value)}`);
}

function roundHalfEven(numerator: bigint, divisor: bigint): bigint {
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** Integer division rounded half-to-even, for signed values. */
export function divRound(numerator: bigint, divisor: bigint): bigint {
  if (divisor === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== divisor < 0n;
  const q = roundHalfEven(numerator < 0n ? -numerator : numerator, divisor < 0n ? -divisor : divisor);
  return negative ? -q : q;
}

/** Exact USD text of nano-dollars with all nine decimals trimmed to at least `minDecimals`: 1234500000n → "1.2345"; with 0, "12.5", "0.000000001", "0". */
export function formatUsd(units: bigint, minDecimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / NANOS_PER_USD_BIG;
  let frac = (abs % NANOS_PER_USD_BIG).toString().padStart(SCALE, '0');
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${frac.length > 0 ? `.${frac}` : ''}`;
}

/**
 * Human display: "$1.23" for a dollar or more, four decimals from a cent ("$0.0180", never rounded to a whole
 * cent: AI costs live in fractions of cents), more decimals below.
 */
export function displayUsd(units: bigint): string {
  const abs = units < 0n ? -units : units;
  const decimals = abs >= 1_000_000_000n ? 2 : abs >= 10_000_000n ? 4 : abs >= 10_000n ? 6 : 9;
  const rounded = divRound(units, 10n ** BigInt(SCALE - decimals)) * 10n ** BigInt(SCALE - decimals);
  const text = formatUsd(rounded, decimals);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** A float ratio of two nano-dollar amounts, or null when the denominator is zero. */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  // Scale first so the division keeps 12 significant decimals before the single float conversion.
  const scaled = divRound(numerator * 1_000_000_000_000n, denominator);
  return Number(scaled) / 1e12;
}
