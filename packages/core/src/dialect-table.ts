import { DIALECT_READS, type DialectField, type DialectRead, type DialectReader } from '@costspan/semconv';
import { readCount, readString } from './read-attributes.js';
import type { AttrMap } from './record.js';

/** For one reader: each field's names, current ones first (in table order), then deprecated ones. */
export type FieldNames = { readonly [F in DialectField]: readonly string[] };

/**
 * Compiles the dialect table (`conventions/model/dialects.yaml`, generated into `@costspan/semconv`) into the
 * name lists one reader consults per field: a plain frozen object with every field of the table (an empty list
 * where the reader has none). Runs once at module load; reading a field is then a loop over a short array.
 */
export function compileReader(reader: DialectReader, reads: readonly DialectRead[] = DIALECT_READS): FieldNames {
  const out: Record<string, string[]> = {};
  for (const r of reads) out[r.field] ??= [];
  for (const deprecated of [false, true]) {
    for (const r of reads) {
      if (r.reader === reader && (r.deprecatedFor !== undefined) === deprecated) out[r.field]?.push(r.name);
    }
  }
  for (const key of Object.keys(out)) Object.freeze(out[key]);
  return Object.freeze(out) as unknown as FieldNames;
}

/** The names of one dialect (`openllmetry`, `sentry`, …): any of them on a span says the dialect wrote it. */
export function dialectNames(dialect: string, reads: readonly DialectRead[] = DIALECT_READS): readonly string[] {
  return Object.freeze(reads.filter((r) => r.dialect === dialect).map((r) => r.name));
}

export const GEN_AI_NAMES: FieldNames = compileReader('gen_ai');
export const OPENINFERENCE_NAMES: FieldNames = compileReader('openinference');
export const AI_SDK_NAMES: FieldNames = compileReader('ai_sdk');
export const COST_READS: readonly DialectRead[] = Object.freeze(DIALECT_READS.filter((r) => r.reader === 'cost'));

/** First count found among names. */
export function firstCount(attrs: AttrMap, names: readonly string[]): number | undefined {
  for (let i = 0; i < names.length; i++) {
    const v = readCount(attrs, names[i] as string);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** First string found among names. */
export function firstString(attrs: AttrMap, names: readonly string[]): string | undefined {
  for (let i = 0; i < names.length; i++) {
    const v = readString(attrs, names[i] as string);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** True when any of the names is on the span. */
export function anyPresent(attrs: AttrMap, names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) if (attrs[names[i] as string] !== undefined) return true;
  return false;
}

/** Every count the dialect table declares (`type: int`), in table order. */
const COUNT_NAMES: readonly string[] = Object.freeze(DIALECT_READS.filter((r) => r.type === 'int').map((r) => r.name));

/**
 * The first count attribute of any dialect that is present but not a count (negative, fractional, beyond 2^53,
 * a non-numeric string, …): such a span must be `unpriced` with a reason, not priced as if the count were 0.
 */
export function findInvalidCount(attrs: AttrMap): string | undefined {
  for (let i = 0; i < COUNT_NAMES.length; i++) {
    const name = COUNT_NAMES[i] as string;
    const v = attrs[name];
    if (v !== undefined && v !== null && readCount(attrs, name) === undefined) return name;
  }
  return undefined;
}
