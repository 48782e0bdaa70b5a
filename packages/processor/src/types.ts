import type { GpuConfig } from '@costspan/allocation';
import type {
  AttributionKeys,
  CompatSwitch,
  CostAttributeSet,
  CostRuleConfig,
  SharedResourceConfig,
} from '@costspan/core';
import type { PriceBook } from '@costspan/pricing';
import type {
  Attributes,
  AttributeValue,
  Context,
  HrTime,
  MeterProvider,
  SpanContext,
  SpanKind,
} from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';

export type { AttributionKeys, CompatSwitch, CostAttributeSet, CostRuleConfig, GpuConfig, SharedResourceConfig };

/**
 * The parts of an SDK span the processor uses. Declared structurally so the processor serves
 * `@opentelemetry/sdk-trace` 2.x and 3.x and `sdk-trace-base` spans (NodeSDK) without depending on either.
 */
export interface CostReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly resource?: { readonly attributes: Attributes };
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  /** sdk-trace ≥ 2.0. */
  readonly parentSpanContext?: SpanContext;
  spanContext(): SpanContext;
}

/** A span still being written (what `onStart` and `onEnding` receive). */
export interface CostWritableSpan extends CostReadableSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** A downstream span processor, as the wrapping form forwards to it. */
export interface DownstreamSpanProcessor {
  onStart(span: CostWritableSpan, parentContext: Context): void;
  onEnding?(span: CostWritableSpan): void;
  onEnd(span: CostReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface SubtreeOptions {
  /** Write `costspan.cost.subtree` on ancestors of priced spans. Default true. */
  enabled?: boolean;
  /** Pending entries (ancestors not yet ended) kept at most. Default 10,000. */
  maxEntries?: number;
  /** Pending entries older than this are dropped (their ancestor never ended here). Default 1 hour. */
  maxAgeMs?: number;
}

/** One price per model call (see the README's "One call, one price"). */
export interface DedupOptions {
  /** Track open model calls and provider response ids. Default true. */
  enabled?: boolean;
  /** Open model-call spans and recent response ids kept at most, each. Default 10,000. */
  maxEntries?: number;
  /** Response ids are remembered this long (a second span of the same call ends within it). Default 10 minutes. */
  maxAgeMs?: number;
}

export interface CostSpanProcessorOptions {
  /** Prices to use. Default: `createPriceBook()` from `@costspan/pricing` (the bundled catalog). */
  priceBook?: PriceBook;
  /** Where cost metrics go. Default: the global MeterProvider, looked up when the first cost is recorded. */
  meterProvider?: MeterProvider;
  /**
   * Names carrying feature and tenant — W3C baggage entries and span/resource attributes (first match wins).
   * Default `costspan.feature` / `costspan.tenant`.
   */
  attribution?: AttributionKeys;
  /** Also write cost under the names other tools read. Off by default. */
  compat?: CompatSwitch[];
  /**
   * Which cost attributes priced spans get: `full` (default) adds the `costspan.cost.*` components and the
   * `costspan.pricing.*` provenance to `essential` (amount, currency, source, status and reason, feature, tenant).
   * Each attribute is stored on the span and serialized by every exporter; metrics are the same either way.
   */
  attributes?: CostAttributeSet;
  /** Distinct tenant values in metrics; later tenants are reported as `other`. Default 100. */
  maxTenants?: number;
  subtree?: SubtreeOptions;
  dedup?: DedupOptions;
  /**
   * Wrapping form: a downstream processor (e.g. a BatchSpanProcessor) that this processor forwards to. On SDKs
   * without `onEnding` the ended span is re-presented to it with the cost attributes added.
   */
  next?: DownstreamSpanProcessor;
  /**
   * Self-hosted GPU nodes: allocate each node's hourly cost to the model calls it served (with idle and
   * overhead), as `{ nodes, window, method, idle, overhead, mode, maxHeldSpans }` or the path of a YAML/JSON file
   * holding it. Validated at construction: an invalid configuration throws `GpuConfigError` naming every bad path.
   * `mode: 'windowed'` holds node spans until their window closes and needs `next` (the exporting processor).
   */
  gpu?: GpuConfig | string;
  /**
   * Cost rules for spans around the model (vector search, rerank, tools, egress): first match wins, never a span
   * priced as a model call. Priced spans get `costspan.cost.amount` / `currency` / `component` / `rule`, and
   * ancestors' `costspan.cost.subtree` includes them. See docs/cost-rules.md. Validate a file's `costs:` with
   * `parseCosts` from `@costspan/config`; a malformed rule here throws from the constructor.
   */
  costs?: CostRuleConfig[];
  /**
   * Shared fixed-rate resources (a vector DB pod, a reranker, a load balancer) whose cost the spans they serve
   * share by time, requests or a unit attribute, with idle and overhead exactly as GPU nodes.
   */
  resources?: SharedResourceConfig[];
  /**
   * Where the per-window allocation records (log records, event `costspan.allocation.window`) go. Default: the
   * global LoggerProvider, looked up when a window closes.
   */
  loggerProvider?: LoggerProvider;
}
