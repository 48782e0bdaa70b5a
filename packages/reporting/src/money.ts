/**
 * Exact money. Every amount inside reporting is an integer count of nano-dollars (1e-9 USD) held in a BigInt,
 * so sums conserve and invoices tie out to the unit. Decimal text is parsed digit by digit — never through a
 * float multiplication — and rounded half-to-even only when it carries more than nine decimals of a dollar.
 */

/** Integer units per US dollar (nano-dollars). */
export const UNITS_PER_USD = 1_000_000_000n;
const SCALE = 9;

export class MoneyParseError extends Error {}

/**
 * Parses a decimal string (optional sign, digits, optional fraction, optional exponent) into integer units of
 * 10^-(9 - shift) of the string's own unit. `shift` moves the decimal point: a USD string uses 0, a cents string
 * uses -2 (cents → dollars).
 */
export function parseDecimalToUnits(text: string, shift = 0): bigint {
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
    return parseDecimalToUnits(String(value));
  }
  if (typeof value === 'string') return parseDecimalToUnits(value);
  throw new MoneyParseError(`not an amount: ${JSON.stringify(value)}`);
}

/** Parses an amount of cents given as a decimal string ("123.45" = $1.2345). */
export function parseCents(value: unknown): bigint {
  if (typeof value === 'string') return parseDecimalToUnits(value, -2);
  if (typeof value === 'number' && Number.isFinite(value)) return parseDecimalToUnits(String(value), -2);
  throw new MoneyParseError(`not an amount in cents: ${JSON.stringify(value)}`);
}

/** Converts a USD float (as written on a span attribute, exact to 1e-9) to units by its shortest decimal text. */
export function usdNumberToUnits(value: number): bigint {
  return parseDecimalToUnits(String(value));
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

/** Exact USD text with all nine decimals trimmed to at least `minDecimals`: 1234500000n → "1.2345". */
export function formatUsd(units: bigint, minDecimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNITS_PER_USD;
  let frac = (abs % UNITS_PER_USD).toString().padStart(SCALE, '0');
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

/** A float ratio of two unit amounts, or null when the denominator is zero. */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  // Scale first so the division keeps 12 significant decimals before the single float conversion.
  const scaled = divRound(numerator * 1_000_000_000_000n, denominator);
  return Number(scaled) / 1e12;
}

/**
 * Splits `total` over parts in proportion to `weights` (all ≥ 0), exactly: floor shares, then the remaining units
 * go one by one to the largest remainders (ties to the earlier part). Σ result = total. With all weights zero the
 * total is split equally the same way. Negative totals are split as the negation of the positive split.
 */
export function largestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new RangeError('cannot split a non-zero total over no parts');
    return [];
  }
  if (total < 0n) return largestRemainder(-total, weights).map((v) => -v);
  const allZero = weights.every((w) => w === 0n);
  const effective = allZero ? weights.map(() => 1n) : weights;
  if (effective.some((w) => w < 0n)) throw new RangeError('weights must be non-negative');
  const sum = effective.reduce((a, b) => a + b, 0n);
  const shares = effective.map((w) => (total * w) / sum);
  const remainders = effective.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares;
}
