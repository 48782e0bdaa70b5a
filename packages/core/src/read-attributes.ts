import type { AttrMap } from './record.js';

/**
 * A token count: a non-negative safe integer, or a string of digits (some SDKs stringify). Anything else —
 * negative, fractional, NaN, Infinity, arrays, booleans — is treated as absent, never guessed.
 */
export function readCount(attrs: AttrMap, key: string): number | undefined {
  const v = attrs[key];
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && v.length > 0 && v.length <= 15 && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** First count found among keys. */
export function readFirstCount(attrs: AttrMap, k1: string, k2?: string, k3?: string): number | undefined {
  const a = readCount(attrs, k1);
  if (a !== undefined || k2 === undefined) return a;
  const b = readCount(attrs, k2);
  if (b !== undefined || k3 === undefined) return b;
  return readCount(attrs, k3);
}

/** A non-empty string of at most 256 characters (bounds what flows into metrics and lookups). No copy is made. */
export function readString(attrs: AttrMap, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : undefined;
}

export function readFirstString(attrs: AttrMap, k1: string, k2?: string, k3?: string): string | undefined {
  const a = readString(attrs, k1);
  if (a !== undefined || k2 === undefined) return a;
  const b = readString(attrs, k2);
  if (b !== undefined || k3 === undefined) return b;
  return readString(attrs, k3);
}

/** A finite, non-negative number (money). */
export function readAmount(attrs: AttrMap, key: string): number | undefined {
  const v = attrs[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** An integer port number. */
export function readPort(attrs: AttrMap, key: string): number | undefined {
  const v = attrs[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536 ? v : undefined;
}
