import type { LongLike, OtlpAnyValue, OtlpKeyValue } from './model.js';

/** An attribute value as the cost core reads it. */
export type PlainValue = string | number | boolean | string[] | number[] | boolean[];
export type PlainAttributes = Record<string, PlainValue>;

export function longToNumber(value: LongLike | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return value.toNumber();
}

/** Nanoseconds as a decimal string (exact for the full fixed64 range). */
export function longToDecimal(value: LongLike | null | undefined): string {
  if (value === null || value === undefined) return '0';
  return typeof value === 'number' ? String(Math.trunc(value)) : value.toString();
}

/**
 * The JS value of an AnyValue; nested kvlists and bytes are not read by the cost core and map to undefined.
 * Decoded protobufjs messages keep proto3 defaults on the prototype, so only own properties count as set.
 */
export function anyValueToPlain(value: OtlpAnyValue | null | undefined): PlainValue | undefined {
  if (!value) return undefined;
  if (Object.hasOwn(value, 'stringValue') && value.stringValue != null) return value.stringValue;
  if (Object.hasOwn(value, 'intValue') && value.intValue != null) return longToNumber(value.intValue);
  if (Object.hasOwn(value, 'doubleValue') && value.doubleValue != null) return value.doubleValue;
  if (Object.hasOwn(value, 'boolValue') && value.boolValue != null) return value.boolValue;
  const values = Object.hasOwn(value, 'arrayValue') ? value.arrayValue?.values : undefined;
  if (values) {
    const out: PlainValue[] = [];
    for (const item of values) {
      const plain = anyValueToPlain(item);
      if (plain !== undefined && !Array.isArray(plain)) out.push(plain);
    }
    return out as PlainValue;
  }
  return undefined;
}

export function attributesToPlain(attributes: OtlpKeyValue[] | null | undefined): PlainAttributes {
  const out: PlainAttributes = {};
  if (!attributes) return out;
  for (const kv of attributes) {
    if (typeof kv?.key !== 'string') continue;
    const plain = anyValueToPlain(kv.value);
    if (plain !== undefined) out[kv.key] = plain;
  }
  return out;
}

/**
 * Writes attributes into an OTLP attribute list, replacing values of keys already present. Numbers are written
 * as doubles except for keys in `intKeys`; the OTLP type of an existing integer attribute is kept.
 */
export function writeAttributes(
  list: OtlpKeyValue[],
  values: Readonly<Record<string, PlainValue | undefined>>,
  intKeys: ReadonlySet<string>,
): void {
  let index: Map<string, number> | undefined;
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value === undefined) continue;
    if (!index) {
      index = new Map();
      for (let i = 0; i < list.length; i++) {
        const k = list[i]?.key;
        if (typeof k === 'string') index.set(k, i);
      }
    }
    const at = index.get(key);
    const existing = at === undefined ? undefined : list[at]?.value;
    const asInt = intKeys.has(key) || (existing != null && Object.hasOwn(existing, 'intValue'));
    const kv: OtlpKeyValue = { key, value: plainToAnyValue(value, asInt) };
    if (at === undefined) {
      index.set(key, list.length);
      list.push(kv);
    } else {
      list[at] = kv;
    }
  }
}

function plainToAnyValue(value: PlainValue, asInt: boolean): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return asInt && Number.isSafeInteger(value) ? { intValue: value } : { doubleValue: value };
  }
  return { arrayValue: { values: (value as PlainValue[]).map((v) => plainToAnyValue(v, asInt)) } };
}
