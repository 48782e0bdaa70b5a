import { GpuAllocator, type RequestAllocation, type ResolvedGpuConfig, type WindowClose } from '@costspan/allocation';
import type { AttrValue, CostAnnotation } from '@costspan/core';
import { gpuShareAtEnd, gpuShareFromParts, mayBeModelCall, mergeGpuShare } from '@costspan/core';
import { ATTR_COSTSPAN_GPU_NODE } from '@costspan/semconv';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { CostMetrics } from '../cost-metrics.js';
import { hrToMs } from '../span-record.js';
import type { CostReadableSpan } from '../types.js';
import { type HeldSpan, HeldSpans } from './held-spans.js';
import { WindowRecords } from './window-records.js';

/** Span ends this far behind the latest one seen still land in their own window (ms; at most one window). */
const GRACE_MS = 2_000;
/** Windows closed per span end at most (the rest on later ends and ticks), so a catch-up never blocks `end()`. */
const MAX_CLOSES_PER_END = 16;
/** Windows closed per timer tick at most (a day of one-minute windows). */
const MAX_CLOSES_PER_TICK = 1_440;

export interface GpuDoorOptions<S extends CostReadableSpan> {
  config: ResolvedGpuConfig;
  metrics: CostMetrics;
  loggerProvider?: LoggerProvider;
  /** Billing start (ms) of nodes without their own start time: the processor's start. */
  startTimeMs: number;
  /** Windowed mode with a downstream processor: hold node spans until their last window closes. */
  hold: boolean;
  /** Forwards a held span downstream with its final attributes; `tokens` is its annotation with the final cost. */
  release(span: S, attributes: Record<string, AttrValue>, tokens: CostAnnotation | undefined): void;
  fail(where: string, error: unknown): void;
}

/** What the door did with a span at its end. */
export interface GpuEnd {
  /** The span's total cost now (tokens + GPU share), nano-units. */
  totalNanos: number | undefined;
  /** The attributes to write: the annotation's own set with the GPU share merged in, or a new set. */
  attributes: Record<string, AttrValue>;
  /** Held back until its windows close (windowed mode): record its metrics at release. */
  held: boolean;
}

/**
 * GPU node time inside the SDK door: one `GpuAllocator` fed with the spans' own start and end timestamps, the
 * window records (logs + metrics) of every closed window, and in windowed mode the spans held for their window.
 * Windows close when a later span end passes their end plus a grace, on an unref'd timer, and on flush/shutdown.
 */
export class GpuDoor<S extends CostReadableSpan> {
  readonly allocator: GpuAllocator;
  readonly #options: GpuDoorOptions<S>;
  /** Spans started on a node and not yet ended: span id → start (ms), for the age-based sweep. */
  readonly #started = new Map<string, number>();
  readonly #windows: WindowRecords;
  readonly #held: HeldSpans<S> | undefined;
  readonly #windowMs: number;
  readonly #graceMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: GpuDoorOptions<S>) {
    this.#options = options;
    const config = options.config;
    const origins = new Map<string, number>();
    let earliest = Number.POSITIVE_INFINITY;
    for (const node of config.nodes) {
      const origin = node.startUs === undefined ? options.startTimeMs : node.startUs / 1000;
      origins.set(node.id, origin);
      earliest = Math.min(earliest, origin);
    }
    // Every node says when it starts: windows begin with the first of them (no empty windows before).
    const allExplicit = config.nodes.every((n) => n.startUs !== undefined);
    this.allocator = new GpuAllocator(config, { startTime: allExplicit ? earliest : options.startTimeMs });
    this.#windows = new WindowRecords(options.metrics, origins, options.loggerProvider);
    this.#held = options.hold ? new HeldSpans<S>() : undefined;
    this.#windowMs = config.windowMs;
    this.#graceMs = Math.min(GRACE_MS, config.windowMs);
    const interval = Math.min(Math.max(config.windowMs, 250), 5_000);
    this.#timer = setInterval(() => this.#tick(), interval);
    this.#timer.unref?.();
  }

  /** Held spans right now (windowed mode). */
  get heldSpans(): number {
    return this.#held?.size ?? 0;
  }

  /** Starts a request on its node when the span is a model call served by one (explicit node attribute first). */
  onStart(span: S): void {
    const attrs = span.attributes;
    if (attrs[ATTR_COSTSPAN_GPU_NODE] === undefined && !mayBeModelCall(span.name, attrs)) return;
    const node = this.allocator.matchNode(attrs, span.resource?.attributes);
    if (node === undefined) return;
    const id = span.spanContext().spanId;
    const startMs = hrToMs(span.startTime);
    if (this.allocator.start(id, node, startMs)) this.#started.set(id, startMs);
  }

  /** Was the span started on a node? (One map lookup while any node request is open; allocates nothing.) */
  isOnNode(span: S): boolean {
    return this.#started.size !== 0 && this.#started.has(span.spanContext().spanId);
  }

  /**
   * Ends the span's request and merges its GPU share into its cost. A model call that was not matched at start
   * (its node attribute or address was set later) is allocated now from its own timestamps; the allocator
   * marks it inexact and its window's records stay exact. Undefined when the span is not a request on a node.
   */
  end(span: S, annotation: CostAnnotation | undefined, onNode: boolean): GpuEnd | undefined {
    const allocator = this.allocator;
    const id = span.spanContext().spanId;
    const endMs = hrToMs(span.endTime);
    const usage = annotation?.usage;
    let allocation: RequestAllocation | undefined;
    if (onNode) {
      this.#started.delete(id);
      allocation = allocator.end(id, endMs, usage);
    } else if (annotation !== undefined && annotation.outcome !== 'existing') {
      const node = allocator.matchNode(span.attributes, span.resource?.attributes);
      if (node !== undefined && allocator.start(id, node, hrToMs(span.startTime))) {
        allocation = allocator.end(id, endMs, usage);
      }
    }
    if (allocation === undefined) return undefined;
    // Priced upstream by costspan already: the request occupied the node, but its cost is not written again.
    if (annotation?.outcome === 'existing') {
      this.#advance();
      return undefined;
    }
    const share = gpuShareAtEnd(allocator, allocation, usage, this.#windows.lastUtilization.get(allocation.nodeId));
    let hold = this.#held !== undefined && !allocation.final;
    let tokens: CostAnnotation | undefined;
    if (hold) {
      share.final = false;
      if ((this.#held as HeldSpans<S>).size >= allocator.config.maxHeldSpans) {
        hold = false;
        this.#countProvisional(allocation.nodeId);
      } else if (annotation !== undefined) {
        tokens = { ...annotation };
      }
    }
    const attributes = annotation?.attributes ?? {};
    const totalNanos = mergeGpuShare(attributes, share, annotation);
    if (hold) {
      const parts = [];
      for (const part of allocation.parts) if (part.final) parts.push(part);
      (this.#held as HeldSpans<S>).add({
        requestId: id,
        node: allocation.nodeId,
        currency: allocation.currency,
        concurrency: allocation.meanConcurrency,
        parts,
        lastWindowStart: Math.floor(allocation.end / this.#windowMs) * this.#windowMs,
        tokens,
        utilization: undefined,
        span: undefined,
        done: false,
      });
    }
    this.#advance();
    return { totalNanos, attributes, held: hold };
  }

  /**
   * `onEnd` of a span the door holds: keeps it until its windows close (true), or releases it now when they
   * already have. False for every span the door does not hold.
   */
  take(span: S): boolean {
    const held = this.#held;
    if (held === undefined || held.size === 0) return false;
    const entry = held.get(span.spanContext().spanId);
    if (entry === undefined || entry.span !== undefined) return false;
    entry.span = span;
    if (entry.done) this.#release(entry);
    return true;
  }

  /** Closes every open window up to now and up to the latest span seen, releasing every held span (flush). */
  flush(): void {
    this.#close(this.allocator.closeWindows(otelNowMs()));
    this.#close(this.allocator.closeAll());
  }

  /** Flushes, stops the timer and lets go of anything still held. */
  shutdown(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
    for (const entry of this.#held?.drain() ?? []) {
      if (entry.span !== undefined) this.#options.release(entry.span, {}, entry.tokens);
    }
  }

  #tick(): void {
    try {
      this.#close(this.allocator.closeWindows(this.#bounded(otelNowMs() - this.#graceMs, MAX_CLOSES_PER_TICK)));
    } catch (error) {
      this.#options.fail('gpu.tick', error);
    }
  }

  /** Closes windows a later span end has passed by more than the grace. */
  #advance(): void {
    const latest = this.allocator.latestTimestamp;
    if (latest === undefined) return;
    this.#close(this.allocator.closeWindows(this.#bounded(latest - this.#graceMs, MAX_CLOSES_PER_END)));
  }

  #bounded(watermarkMs: number, maxWindows: number): number {
    const first = this.allocator.firstOpenWindow;
    return first === undefined ? watermarkMs : Math.min(watermarkMs, first + maxWindows * this.#windowMs);
  }

  #close(closes: WindowClose[]): void {
    if (closes.length === 0) return;
    this.#sweepStarted((closes[closes.length - 1] as WindowClose).windowEnd);
    try {
      this.#windows.emit(closes);
    } catch (error) {
      this.#options.fail('gpu.windows', error);
    }
    const held = this.#held;
    if (held === undefined) return;
    for (const entry of held.apply(closes)) if (entry.span !== undefined) this.#release(entry);
  }

  /** Forgets spans the allocator evicted (in flight past `maxRequestAge`: never ended here). */
  #sweepStarted(closedUpToMs: number): void {
    if (this.#started.size === 0) return;
    const horizon = closedUpToMs - this.allocator.config.maxRequestAgeMs;
    for (const [id, startMs] of this.#started) if (startMs < horizon) this.#started.delete(id);
  }

  /** Forwards a held span with its final figures; should they fail, with what it already carries. */
  #release(entry: HeldSpan<S>): void {
    this.#held?.delete(entry.requestId);
    const attributes: Record<string, AttrValue> = {};
    try {
      const share = gpuShareFromParts(
        this.allocator.config,
        entry.node,
        entry.currency,
        entry.concurrency,
        entry.parts,
        entry.utilization,
      );
      mergeGpuShare(attributes, share, entry.tokens);
    } catch (error) {
      this.#options.fail('gpu.release', error);
    }
    this.#options.release(entry.span as S, attributes, entry.tokens);
  }

  #countProvisional(node: string): void {
    try {
      this.#options.metrics.get().allocationProvisional.add(1, { [ATTR_COSTSPAN_GPU_NODE]: node });
    } catch (error) {
      this.#options.fail('gpu.metrics', error);
    }
  }
}

/** Now on the clock the OpenTelemetry SDK stamps spans with (time origin + monotonic time), in ms. */
function otelNowMs(): number {
  return performance.timeOrigin + performance.now();
}
