import { loadGpuConfigFile, type ResolvedGpuConfig, resolveGpuConfig } from '@costspan/allocation';
import type { AttrValue, SpanRecord } from '@costspan/core';
import {
  annotateOnce,
  ComponentPricer,
  type CostAnnotation,
  type CostCore,
  createCostCore,
  DEFAULT_FEATURE_KEYS,
  DEFAULT_TENANT_KEYS,
  isDefiniteModelCall,
  mayBeInference,
  OpenModelCalls,
  ResponseIdWindow,
  subtreeCost,
  TenantCap,
  TwinCallWindow,
} from '@costspan/core';
import { nanosToUsd } from '@costspan/pricing';
import { ATTR_COSTSPAN_COST_SUBTREE, ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT } from '@costspan/semconv';
import { type Context, diag, propagation, trace } from '@opentelemetry/api';
import { ComponentDoor } from './component-door.js';
import { CostMetrics } from './cost-metrics.js';
import { endedSpanView } from './ended-span-view.js';
import { GpuDoor } from './gpu/gpu-door.js';
import { CostMetricAttributeCache, unpricedMetricAttributes } from './metric-attributes.js';
import { emptyRecord, fillRecord, releaseRecord } from './span-record.js';
import { SubtreeCostTracker, type SubtreeEntry } from './subtree-tracker.js';
import type { CostReadableSpan, CostSpanProcessorOptions, CostWritableSpan, DownstreamSpanProcessor } from './types.js';
import { PACKAGE_NAME } from './version.js';

/** Where the cost attributes go: the span itself in `onEnding`, a collector in the wrapping form's `onEnd`. */
interface AttributeSink {
  setAttribute(key: string, value: AttrValue): unknown;
}

/** Collects the attributes `onEnd` adds, for the read-only view handed to `next`. */
class CollectedAttributes implements AttributeSink {
  extra: Record<string, AttrValue> | undefined;
  setAttribute(key: string, value: AttrValue): void {
    this.extra ??= {};
    this.extra[key] = value;
  }
}

/**
 * An OpenTelemetry SpanProcessor that prices every inference span in `onEnding` — while the span is still
 * writable, so the cost reaches every exporter — and carries cost up to ancestors as `costspan.cost.subtree`.
 *
 * ```ts
 * new NodeSDK({ spanProcessors: [new CostSpanProcessor(), new BatchSpanProcessor(exporter)] })
 * ```
 *
 * With `gpu` nodes configured it also allocates self-hosted GPU node time to the model calls each node served
 * (see the README's "Self-hosted GPU nodes"); in `mode: 'windowed'` it holds those spans back from `next` until
 * their allocation window closes.
 *
 * Nothing it does can throw into `span.end()`: every entry point is guarded, failures are counted
 * (`costspan.processor.errors`) and reported once per kind through `diag`. Only an invalid `gpu` configuration
 * throws, from the constructor.
 */
export class CostSpanProcessor {
  readonly #core: CostCore;
  readonly #metrics: CostMetrics;
  readonly #tenants: TenantCap;
  readonly #metricAttributes = new CostMetricAttributeCache();
  readonly #subtree: SubtreeCostTracker | undefined;
  readonly #openCalls: OpenModelCalls | undefined;
  readonly #responseIds: ResponseIdWindow | undefined;
  readonly #twins: TwinCallWindow | undefined;
  readonly #next: DownstreamSpanProcessor | undefined;
  readonly #gpu: GpuDoor<CostReadableSpan> | undefined;
  /** `costs:` rules and `resources:` shares (non-model spans); undefined when none are configured. */
  readonly #components: ComponentDoor | undefined;
  readonly #featureKeys: readonly string[];
  readonly #tenantKeys: readonly string[];
  readonly #reported = new Set<string>();
  /** One record reused for every span (the core keeps no reference to it); filled and released around `annotate`. */
  readonly #scratch: SpanRecord = emptyRecord();
  /** Reused by the wrapping form's `onEnd` (a fresh `extra` object per span that gets attributes). */
  readonly #collected = new CollectedAttributes();
  #sawOnEnding = false;
  #shutdown = false;

  constructor(options: CostSpanProcessorOptions = {}) {
    this.#core = createCostCore({
      priceBook: options.priceBook,
      compat: options.compat,
      attribution: options.attribution,
      attributes: options.attributes,
    });
    this.#metrics = new CostMetrics(options.meterProvider);
    this.#tenants = new TenantCap(options.maxTenants);
    this.#featureKeys = options.attribution?.featureKeys ?? DEFAULT_FEATURE_KEYS;
    this.#tenantKeys = options.attribution?.tenantKeys ?? DEFAULT_TENANT_KEYS;
    this.#next = options.next;
    this.#subtree =
      options.subtree?.enabled === false
        ? undefined
        : new SubtreeCostTracker({
            maxEntries: options.subtree?.maxEntries,
            maxAgeMs: options.subtree?.maxAgeMs,
            onEvict: (n) => this.#count('evicted', n),
          });
    const dedup = options.dedup;
    const onDedupEvict = (n: number) => this.#count('dedupEvicted', n);
    this.#openCalls =
      dedup?.enabled === false
        ? undefined
        : new OpenModelCalls({ maxEntries: dedup?.maxEntries, onEvict: onDedupEvict });
    this.#responseIds =
      dedup?.enabled === false
        ? undefined
        : new ResponseIdWindow({ maxEntries: dedup?.maxEntries, maxAgeMs: dedup?.maxAgeMs, onEvict: onDedupEvict });
    this.#twins =
      dedup?.enabled === false
        ? undefined
        : new TwinCallWindow({ maxEntries: dedup?.maxEntries, maxAgeMs: dedup?.maxAgeMs, onEvict: onDedupEvict });
    this.#gpu = options.gpu === undefined ? undefined : this.#gpuDoor(options);
    this.#components =
      (options.costs?.length ?? 0) + (options.resources?.length ?? 0) === 0
        ? undefined
        : new ComponentDoor({ ...options, fail: (where, error) => this.#fail(where, error) });
  }

  #gpuDoor(options: CostSpanProcessorOptions): GpuDoor<CostReadableSpan> {
    const gpu = options.gpu as NonNullable<CostSpanProcessorOptions['gpu']>;
    const config: ResolvedGpuConfig = typeof gpu === 'string' ? loadGpuConfigFile(gpu) : resolveGpuConfig(gpu);
    const hold = config.mode === 'windowed' && this.#next !== undefined;
    if (config.mode === 'windowed' && !hold) {
      diag.warn(
        `${PACKAGE_NAME}: gpu.mode 'windowed' needs the exporting processor as \`next\` to hold spans; spans go out at once with provisional figures`,
      );
    }
    return new GpuDoor<CostReadableSpan>({
      config,
      metrics: this.#metrics,
      loggerProvider: options.loggerProvider,
      startTimeMs: Date.now(),
      hold,
      release: (span, attributes, tokens) => {
        if (tokens !== undefined) {
          try {
            this.#record(tokens);
          } catch (error) {
            this.#fail('gpu.metrics', error);
          }
        }
        this.#forward(hasKeys(attributes) ? endedSpanView(span, attributes) : span);
      },
      fail: (where, error) => this.#fail(where, error),
    });
  }

  /** The cost core this processor uses (the same one the collector runs). */
  get core(): CostCore {
    return this.#core;
  }

  /**
   * Copies `costspan.feature` / `costspan.tenant` from the parent context's baggage onto the span, and notes a
   * model-call span as open (a model call started inside it makes it a duplicate of that one).
   */
  onStart(span: CostWritableSpan, parentContext: Context): void {
    const open = this.#openCalls;
    if (open !== undefined && !this.#shutdown) {
      try {
        if (isDefiniteModelCall(span.name, span.attributes)) {
          const parent = span.parentSpanContext;
          const parentId = parent === undefined || parent.isRemote ? undefined : parent.spanId;
          if (parentId !== undefined && !open.has(parentId)) openParentCall(open, parentId, parentContext);
          open.start(span.spanContext().spanId, parentId);
        }
      } catch (error) {
        this.#fail('onStart.calls', error);
      }
    }
    try {
      const baggage = propagation.getBaggage(parentContext);
      if (baggage !== undefined) {
        copyBaggage(span, baggage, this.#featureKeys, ATTR_COSTSPAN_FEATURE);
        copyBaggage(span, baggage, this.#tenantKeys, ATTR_COSTSPAN_TENANT);
      }
    } catch (error) {
      this.#fail('onStart', error);
    }
    if (this.#gpu !== undefined && !this.#shutdown) {
      try {
        this.#gpu.onStart(span);
      } catch (error) {
        this.#fail('gpu.onStart', error);
      }
    }
    if (this.#next !== undefined) {
      try {
        this.#next.onStart(span, parentContext);
      } catch (error) {
        this.#fail('next.onStart', error);
      }
    }
  }

  /** Prices the span while it is still writable. */
  onEnding(span: CostWritableSpan): void {
    this.#sawOnEnding = true;
    if (!this.#shutdown) {
      try {
        this.#process(span, span);
      } catch (error) {
        this.#fail('onEnding', error);
      }
    }
    if (this.#next?.onEnding !== undefined) {
      try {
        this.#next.onEnding(span);
      } catch (error) {
        this.#fail('next.onEnding', error);
      }
    }
  }

  /**
   * Forwards to `next`. On an SDK that never called `onEnding`, prices here and re-presents the span to `next`
   * as a read-only view with the cost attributes added.
   */
  onEnd(span: CostReadableSpan): void {
    const next = this.#next;
    if (next === undefined) return;
    let out = span;
    if (!this.#sawOnEnding && !this.#shutdown) {
      try {
        const collected = this.#collected;
        collected.extra = undefined;
        this.#process(span, collected);
        const extra = collected.extra;
        collected.extra = undefined;
        if (extra !== undefined) out = endedSpanView(span, extra);
      } catch (error) {
        this.#fail('onEnd', error);
      }
    }
    if (this.#gpu !== undefined) {
      try {
        if (this.#gpu.take(out)) return;
      } catch (error) {
        this.#fail('gpu.onEnd', error);
      }
    }
    this.#forward(out);
  }

  #forward(span: CostReadableSpan): void {
    try {
      this.#next?.onEnd(span);
    } catch (error) {
      this.#fail('next.onEnd', error);
    }
  }

  /** Closes open GPU allocation windows (releasing held spans), then flushes `next`. */
  async forceFlush(): Promise<void> {
    this.#flushGpu('gpu.forceFlush', false);
    this.#components?.flush();
    try {
      await this.#next?.forceFlush();
    } catch (error) {
      this.#fail('next.forceFlush', error);
    }
  }

  /** Closes open GPU allocation windows, releases every held span, then shuts `next` down. */
  async shutdown(): Promise<void> {
    if (!this.#shutdown) this.#flushGpu('gpu.shutdown', true);
    if (!this.#shutdown) this.#components?.flush();
    this.#shutdown = true;
    try {
      await this.#next?.shutdown();
    } catch (error) {
      this.#fail('next.shutdown', error);
    }
  }

  #flushGpu(where: string, shutdown: boolean): void {
    if (this.#gpu === undefined) return;
    try {
      if (shutdown) this.#gpu.shutdown();
      else this.#gpu.flush();
    } catch (error) {
      this.#fail(where, error);
    }
  }

  #process(span: CostReadableSpan, sink: AttributeSink): void {
    const attrs = span.attributes;
    const tracker = this.#subtree;
    const pending = tracker !== undefined && tracker.size !== 0 ? tracker.take(span.spanContext().spanId) : undefined;
    const open = this.#openCalls;
    const duplicateOf = open !== undefined && open.size !== 0 ? open.end(span.spanContext().spanId) : undefined;
    const gpu = this.#gpu;
    const onNode = gpu?.isOnNode(span) === true;
    // The fast path: not an inference span, not a request on a GPU node and nothing carried up to it — no
    // allocation, no further work.
    if (!onNode && !mayBeInference(attrs)) {
      const pricer = this.#components?.pricer;
      if (pricer?.mayMatch(attrs) && pricer.matches(attrs) && this.#component(span, sink, pending)) return;
      if (pending === undefined) return;
      const subtree = subtreeCost(0, pending.nanos);
      if (subtree !== undefined) sink.setAttribute(ATTR_COSTSPAN_COST_SUBTREE, nanosToUsd(subtree));
      this.#carry(span, pending.nanos, pending.calls);
      return;
    }
    const record = fillRecord(this.#scratch, span);
    let annotation: CostAnnotation | undefined;
    try {
      annotation = annotateOnce(
        this.#core,
        record,
        pending === undefined && duplicateOf === undefined
          ? undefined
          : { descendantCalls: pending?.calls, duplicateOf },
        this.#responseIds,
        this.#twins,
      );
    } finally {
      releaseRecord(record);
    }
    // A model call without usage (a rerank call) may be priced by a rule instead.
    const components = this.#components;
    if (
      components !== undefined &&
      !onNode &&
      ComponentPricer.appliesTo(annotation, span.name, attrs) &&
      components.pricer.mayMatch(attrs)
    ) {
      if (this.#component(span, sink, pending)) return;
    }
    let own = annotation?.amountNanos ?? 0;
    let attributes = annotation?.attributes;
    let held = false;
    // A duplicate is not a request of its own: the span that carries the call's price takes the GPU share.
    if (gpu !== undefined && (onNode || annotation !== undefined) && annotation?.outcome !== 'duplicate') {
      const merged = this.#allocate(gpu, span, annotation, onNode);
      if (merged !== undefined) {
        own = merged.totalNanos ?? own;
        attributes = merged.attributes;
        held = merged.held;
      }
    }
    if (attributes !== undefined) for (const key in attributes) sink.setAttribute(key, attributes[key] as AttrValue);
    if (annotation !== undefined && !held) this.#record(annotation);
    const descendants = pending?.nanos ?? 0;
    const subtree = subtreeCost(own, descendants);
    if (subtree !== undefined) sink.setAttribute(ATTR_COSTSPAN_COST_SUBTREE, nanosToUsd(subtree));
    this.#carry(span, own + descendants, (pending?.calls ?? 0) + (annotation !== undefined ? 1 : 0));
  }

  /** Prices a non-model span by a rule or resource and carries its cost up; false when none applies. */
  #component(span: CostReadableSpan, sink: AttributeSink, pending: SubtreeEntry | undefined): boolean {
    const record = fillRecord(this.#scratch, span);
    let result: ReturnType<ComponentDoor['price']>;
    try {
      result = (this.#components as ComponentDoor).price(record);
    } finally {
      releaseRecord(record);
    }
    if (result === undefined) return false;
    const attributes = result.attributes;
    for (const key in attributes) sink.setAttribute(key, attributes[key] as AttrValue);
    const own = result.cost.nanos ?? 0;
    const descendants = pending?.nanos ?? 0;
    if (descendants > 0) sink.setAttribute(ATTR_COSTSPAN_COST_SUBTREE, nanosToUsd(own + descendants));
    this.#carry(span, own + descendants, pending?.calls ?? 0);
    return true;
  }

  /** GPU allocation of one span, guarded: a failure leaves the span with its token cost. */
  #allocate(
    gpu: GpuDoor<CostReadableSpan>,
    span: CostReadableSpan,
    annotation: CostAnnotation | undefined,
    onNode: boolean,
  ): ReturnType<GpuDoor<CostReadableSpan>['end']> {
    try {
      return gpu.end(span, annotation, onNode);
    } catch (error) {
      this.#fail('gpu.onEnding', error);
      return undefined;
    }
  }

  #carry(span: CostReadableSpan, nanos: number, calls: number): void {
    const parent = span.parentSpanContext;
    if (this.#subtree === undefined || parent === undefined || parent.isRemote === true) return;
    if (nanos === 0 && calls === 0) return;
    this.#subtree.carry(parent.spanId, nanos, calls);
  }

  #record(annotation: CostAnnotation): void {
    const outcome = annotation.outcome;
    if (outcome === 'existing' || outcome === 'duplicate' || outcome === 'external') return;
    if (outcome === 'unpriced') {
      this.#metrics.get().unpriced.add(1, unpricedMetricAttributes(annotation));
      return;
    }
    const amount = annotation.amount;
    if (amount === undefined || !Number.isFinite(amount) || amount < 0) return;
    this.#metrics.get().cost.record(amount, this.#metricAttributes.get(annotation, this.#tenants));
  }

  #count(which: 'errors' | 'evicted' | 'dedupEvicted', n: number): void {
    try {
      this.#metrics.get()[which].add(n);
    } catch {
      // A failing meter must not turn into a failing span; nothing else to do.
    }
  }

  #fail(where: string, error: unknown): void {
    this.#count('errors', 1);
    if (this.#reported.has(where)) return;
    this.#reported.add(where);
    try {
      diag.error(`${PACKAGE_NAME}: ${where} failed; the span is kept, further failures here are only counted`, error);
    } catch {
      // diag itself failed: the failure stays counted.
    }
  }
}

/** What `onStart` reads of the parent span, structurally (the SDK's span has these; no SDK class is imported). */
interface ParentSpanView {
  readonly name?: unknown;
  readonly attributes?: unknown;
  readonly ended?: unknown;
  readonly parentSpanContext?: { spanId?: unknown; isRemote?: unknown };
  /** A wrapper's inner span (OpenInference's `OISpan` puts itself in the context and keeps the SDK span here). */
  readonly span?: unknown;
}

/**
 * A model call starts under a parent not tracked as open: the parent may be a model call that was not
 * recognisable at its own start (OpenInference's `OITracer` sets the span kind right after starting the span).
 * Read the parent as it is now and, when it is a model call still running, enter it as open so the new call
 * becomes its inner call (the outer one is then a `duplicate`, whatever the end order).
 */
function openParentCall(open: OpenModelCalls, parentId: string, parentContext: Context): void {
  let view = trace.getSpan(parentContext) as ParentSpanView | undefined;
  // Unwrap a wrapper span (one level) to the SDK span that holds the attributes.
  if (view !== undefined && view.attributes === undefined && typeof view.span === 'object' && view.span !== null) {
    view = view.span as ParentSpanView;
  }
  if (view === undefined || view.ended === true || typeof view.name !== 'string') return;
  const attributes = view.attributes;
  if (typeof attributes !== 'object' || attributes === null) return;
  const context = (view as { spanContext?: unknown }).spanContext;
  if (typeof context !== 'function' || (context.call(view) as { spanId?: unknown }).spanId !== parentId) return;
  if (!isDefiniteModelCall(view.name, attributes as Record<string, unknown>)) return;
  const grand = view.parentSpanContext;
  const grandId =
    grand !== undefined && grand.isRemote !== true && typeof grand.spanId === 'string' ? grand.spanId : undefined;
  open.start(parentId, grandId);
}

function hasKeys(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

function copyBaggage(
  span: CostWritableSpan,
  baggage: { getEntry(key: string): { value: string } | undefined },
  keys: readonly string[],
  attribute: string,
): void {
  if (span.attributes[attribute] !== undefined) return;
  for (const key of keys) {
    const value = baggage.getEntry(key)?.value;
    if (value !== undefined && value !== '') {
      span.setAttribute(attribute, value.length > 256 ? value.slice(0, 256) : value);
      return;
    }
  }
}
