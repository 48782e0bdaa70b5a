import type { Rational } from './types.js';

/**
 * The exact decimal value a JavaScript number was written as (its shortest round-trip form): 3.6 → 36/10,
 * 6.88 → 688/100, 1e-7 → 1/10_000_000. Float noise never enters money: `3.6` is 36/10, not 3.600000000000000088….
 * Throws on non-finite or negative input (callers validate first).
 */
export function rationalFromNumber(value: number): Rational {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a non-negative finite number: ${value}`);
  const text = String(value).toLowerCase();
  const [mantissa = '0', exponentText] = text.split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let num = BigInt(whole + fraction);
  let den = 10n ** BigInt(fraction.length);
  if (exponent > 0) num *= 10n ** BigInt(exponent);
  else if (exponent < 0) den *= 10n ** BigInt(-exponent);
  return reduce(num, den);
}

/**
 * The exact value of a non-negative decimal written as text (`"0.00008"`, `"70"`, `"1e-7"`), or undefined when
 * the text is not one. Money from configuration is read this way, so no float ever enters it.
 */
export function rationalFromDecimal(text: string): Rational | undefined {
  const match = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (match === null) return undefined;
  const [, whole = '0', fraction = '', exponentText] = match;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
  let num = BigInt(whole + fraction);
  let den = 10n ** BigInt(fraction.length);
  if (exponent > 0) num *= 10n ** BigInt(exponent);
  else if (exponent < 0) den *= 10n ** BigInt(-exponent);
  return reduce(num, den);
}

export function multiplyRational(a: Rational, b: Rational): Rational {
  return reduce(a.num * b.num, a.den * b.den);
}

export function isZero(r: Rational): boolean {
  return r.num === 0n;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function reduce(num: bigint, den: bigint): Rational {
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** floor(a / b) for non-negative BigInts. */
export function floorDiv(a: bigint, b: bigint): bigint {
  return a / b;
}
