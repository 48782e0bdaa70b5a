/**
 * The plain span record the cost core works on. Each door (the SDK processor, the OTLP collector) adapts its own
 * span representation to this shape; the core never sees an SDK class or a wire format.
 */

/** An attribute value as OpenTelemetry allows it (structurally the same as `@opentelemetry/api`'s). */
export type AttrValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/**
 * Attributes by name, as read: values are checked at run time, so any value is accepted (`@opentelemetry/api`
 * 1.10 widened attribute values to `unknown`); `undefined` entries are treated as absent.
 */
export type AttrMap = Readonly<Record<string, unknown>>;

/** One span as the cost core sees it. Only `name` and `attributes` are required. */
export interface SpanRecord {
  name: string;
  /** OTel SpanKind number (0 internal, 1 server, 2 client, 3 producer, 4 consumer). */
  kind?: number;
  attributes: AttrMap;
  resourceAttributes?: AttrMap;
  /** Milliseconds since the Unix epoch. Used as the pricing timestamp (price history). */
  startTimeMs?: number;
  endTimeMs?: number;
  traceId?: string;
  spanId?: string;
  /** Absent for a root span. */
  parentSpanId?: string;
}
