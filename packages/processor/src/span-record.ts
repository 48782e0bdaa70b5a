import type { SpanRecord } from './core/record.js';
import type { CostReadableSpan } from './types.js';

export const hrToMs = (t: readonly [number, number]) => t[0] * 1000 + t[1] / 1e6;

/** Adapts an SDK span to the core's plain record (attributes are shared, not copied). */
export function spanToRecord(span: CostReadableSpan): SpanRecord {
  const sc = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    resourceAttributes: span.resource?.attributes,
    startTimeMs: hrToMs(span.startTime),
    endTimeMs: hrToMs(span.endTime),
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
  };
}
