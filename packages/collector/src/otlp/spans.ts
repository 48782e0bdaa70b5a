import type { OtlpKeyValue, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, OtlpTraceRequest } from './model.js';

/** One span of a received request with the context the pipeline needs; `span` is the live OTLP object. */
export interface SpanRef {
  span: OtlpSpan;
  /** Resource attributes, shared by every span of the same ResourceSpans. */
  resourceAttributes: OtlpKeyValue[];
  scopeName: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
}

export interface FlattenedRequest {
  spans: SpanRef[];
  /**
   * Spans dropped from the request because their ids are invalid or they carry more attributes than allowed
   * (reported as partial success).
   */
  rejected: number;
  rejectReason: string;
}

export interface FlattenOptions {
  /** Most attributes a span may carry, its events' and links' included; a span with more is rejected. */
  maxAttributesPerSpan?: number;
}

const NO_ATTRIBUTES: OtlpKeyValue[] = [];

/**
 * Lists the spans of a request and removes, in place, those a receiver must reject: a trace id that is not 16
 * bytes or all zero, a span id that is not 8 bytes or all zero.
 */
export function flattenRequest(request: OtlpTraceRequest, options: FlattenOptions = {}): FlattenedRequest {
  const maxAttributes = options.maxAttributesPerSpan ?? Number.POSITIVE_INFINITY;
  const spans: SpanRef[] = [];
  let rejected = 0;
  let rejectReason = '';
  for (const rs of request.resourceSpans ?? []) {
    const resourceAttributes = (rs as OtlpResourceSpans).resource?.attributes ?? NO_ATTRIBUTES;
    for (const ss of rs.scopeSpans ?? []) {
      const list = (ss as OtlpScopeSpans).spans;
      if (!list || list.length === 0) continue;
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const span = list[i] as OtlpSpan;
        const traceId = idHex(span.traceId, 16);
        const spanId = idHex(span.spanId, 8);
        if (!traceId || !spanId) {
          rejected++;
          rejectReason ||= `span '${String(span.name ?? '').slice(0, 100)}' has an invalid trace or span id`;
          continue;
        }
        if (maxAttributes !== Number.POSITIVE_INFINITY && attributeCount(span) > maxAttributes) {
          rejected++;
          rejectReason ||= `span '${String(span.name ?? '').slice(0, 100)}' has more than ${maxAttributes} attributes`;
          continue;
        }
        list[kept++] = span;
        spans.push({
          span,
          resourceAttributes,
          scopeName: ss.scope?.name ?? '',
          traceId,
          spanId,
          parentSpanId: idHex(span.parentSpanId, 8) ?? '',
        });
      }
      list.length = kept;
    }
  }
  return { spans, rejected, rejectReason };
}

/** Hex of an id with the required length that is not all zeros; undefined otherwise. */
function idHex(bytes: Uint8Array | null | undefined, length: number): string | undefined {
  if (!bytes || bytes.length !== length) return undefined;
  let nonZero = false;
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== 0) {
      nonZero = true;
      break;
    }
  }
  return nonZero ? Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('hex') : undefined;
}

/** Attributes of a span, its events and its links together. */
function attributeCount(span: OtlpSpan): number {
  let n = Array.isArray(span.attributes) ? span.attributes.length : 0;
  for (const list of [span.events, span.links]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const attributes = (item as { attributes?: unknown } | null)?.attributes;
      if (Array.isArray(attributes)) n += attributes.length;
    }
  }
  return n;
}
