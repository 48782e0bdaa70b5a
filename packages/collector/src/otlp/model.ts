/**
 * The decoded OTLP trace structures as protobufjs produces them (camelCase fields). Protobuf and JSON bodies
 * both end up in this shape, so the pipeline and the exporters handle one representation.
 */

/** A 64-bit integer as protobufjs represents it (a `long` instance, or a plain number for small values). */
export type LongLike =
  | number
  | { low: number; high: number; unsigned: boolean; toNumber(): number; toString(): string };

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: LongLike | null;
  doubleValue?: number | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Uint8Array | null;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpStatus {
  code?: number | null;
  message?: string | null;
}

export interface OtlpSpan {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  parentSpanId?: Uint8Array | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: LongLike | null;
  endTimeUnixNano?: LongLike | null;
  attributes?: OtlpKeyValue[] | null;
  status?: OtlpStatus | null;
  [other: string]: unknown;
}

export interface OtlpScopeSpans {
  scope?: { name?: string | null; version?: string | null } | null;
  spans?: OtlpSpan[] | null;
  schemaUrl?: string | null;
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] | null } | null;
  scopeSpans?: OtlpScopeSpans[] | null;
  schemaUrl?: string | null;
}

export interface OtlpTraceRequest {
  resourceSpans?: OtlpResourceSpans[] | null;
}
