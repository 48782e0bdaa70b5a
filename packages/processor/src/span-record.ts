import type { SpanRecord } from '@costspan/core';
import type { CostReadableSpan } from './types.js';

export const hrToMs = (t: readonly [number, number]) => t[0] * 1000 + t[1] / 1e6;

const NO_ATTRIBUTES: SpanRecord['attributes'] = Object.freeze({});

/** A record with every field present (one object shape), to be filled per span by `fillRecord`. */
export function emptyRecord(): SpanRecord {
  return {
    name: '',
    kind: 0,
    attributes: NO_ATTRIBUTES,
    resourceAttributes: undefined,
    startTimeMs: 0,
    endTimeMs: 0,
    traceId: undefined,
    spanId: undefined,
    parentSpanId: undefined,
  };
}

/**
 * Adapts an SDK span to the core's plain record by filling `record` in place (attributes are shared, not copied):
 * the processor reuses one record, since the core keeps no reference to it after `annotate` returns.
 */
export function fillRecord(record: SpanRecord, span: CostReadableSpan): SpanRecord {
  const sc = span.spanContext();
  record.name = span.name;
  record.kind = span.kind;
  record.attributes = span.attributes;
  record.resourceAttributes = span.resource?.attributes;
  record.startTimeMs = hrToMs(span.startTime);
  record.endTimeMs = hrToMs(span.endTime);
  record.traceId = sc.traceId;
  record.spanId = sc.spanId;
  record.parentSpanId = span.parentSpanContext?.spanId;
  return record;
}

/** Drops the span's objects from a reused record, so it keeps nothing alive between spans. */
export function releaseRecord(record: SpanRecord): void {
  record.attributes = NO_ATTRIBUTES;
  record.resourceAttributes = undefined;
}
