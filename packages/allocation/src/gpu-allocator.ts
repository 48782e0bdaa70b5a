import { resolveGpuConfig } from './config.js';
import { timeSharePricer } from './money.js';
import { createNodeMatcher, type NodeMatcher } from './node-matcher.js';
import { NodeTimeline } from './node-timeline.js';
import { methodWeight } from './request-weight.js';
import { timeScaleFor, toUs } from './time-scale.js';
import type {
  AllocationEstimate,
  AllocationUsage,
  AllocatorStats,
  GpuConfig,
  RequestAllocation,
  RequestInterval,
  RequestWindowPart,
  ResolvedGpuConfig,
  ResolvedGpuNode,
  WindowClose,
} from './types.js';
import { allocateWindow, type NodeWindowInput, type WindowRequest } from './window-allocate.js';

export interface GpuAllocatorOptions {
  /**
   * Billing start (ms) of nodes without their own `startTime`. The processor passes its start time; when
   * absent, the start of the window of the first event the allocator sees.
   */
  startTime?: number;
}

interface InFlightRequest {
  id: string;
  node: NodeState;
  /** Start used by the window computation (clamped to the node's origin and the first open window). */
  startUs: number;
  /** Window and V of the start on the node's timeline. */
  timelineWindowUs: number;
  timelineStartUs: number;
  v0: number;
  u0: number;
  disorderAtStart: number;
  exact: boolean;
  /** Final parts of windows that closed while the request was in flight. */
  closedParts: RequestWindowPart[];
}

/** Per-node figures of the last closed window, for provisional estimates. */
interface LastWindow {
  direct: bigint;
  idle: bigint;
  overhead: bigint;
  carried: bigint;
  methodWeight: bigint;
}

interface NodeState {
  node: ResolvedGpuNode;
  /** Micro-units of a time share (units of 1/K µs). */
  price: (timeWeight: number) => number;
  originUs: number;
  timeline: NodeTimeline;
  inFlight: Map<string, InFlightRequest>;
  /** Requests that ended, by open window they overlap. */
  ended: Map<number, WindowRequest[]>;
  /** Σ method weight of requests that ended in each open window (for estimates). */
  endedWeight: Map<number, bigint>;
  disorder: number;
  last: LastWindow | undefined;
}

/**
 * The streaming allocation engine shared by both doors. Feed it each request's start and end with the span's
 * own timestamps; at the end it returns the time share at once (exact for the time method, O(1) per event),
 * and `closeWindows(watermark)` returns the exact per-window records and final per-request parts.
 * Never throws on bad events: unknown nodes and requests are counted and ignored.
 */
export class GpuAllocator {
  readonly config: ResolvedGpuConfig;
  /** Matches span + resource attributes to a node id. */
  readonly matchNode: NodeMatcher;
  private readonly windowUs: number;
  private readonly scale: number;
  private readonly nodes = new Map<string, NodeState>();
  private readonly requests = new Map<string, InFlightRequest>();
  private nextCloseUs: number | undefined;
  private latestUs: number | undefined;
  private readonly counters = { evicted: 0, late: 0, outOfOrder: 0, ignored: 0 };

  constructor(config: GpuConfig | ResolvedGpuConfig, options: GpuAllocatorOptions = {}) {
    this.config = isResolved(config) ? config : resolveGpuConfig(config);
    this.matchNode = createNodeMatcher(this.config);
    this.windowUs = this.config.windowMs * 1000;
    this.scale = timeScaleFor(this.config.windowMs);
    if (options.startTime !== undefined) this.setOrigin(toUs(options.startTime));
  }

  /** Records the start of a request on a node. Returns false (and counts it) when the node or id is unusable. */
  start(requestId: string, nodeId: string, startMs: number): boolean {
    const node = this.nodes.get(nodeId) ?? this.nodeFor(nodeId, startMs);
    if (!node || this.requests.has(requestId) || !Number.isFinite(startMs)) {
      this.counters.ignored++;
      return false;
    }
    let startUs = toUs(startMs);
    if (startUs < this.nextCloseUs!) {
      this.counters.late++;
      startUs = this.nextCloseUs!;
    }
    const timeline = node.timeline;
    let exact = true;
    let at = Math.max(startUs, node.originUs);
    if (at < timeline.lastUs) {
      this.counters.outOfOrder++;
      node.disorder++;
      exact = false;
      at = timeline.lastUs;
    }
    timeline.advance(at);
    timeline.inFlight++;
    const request: InFlightRequest = {
      id: requestId,
      node,
      startUs,
      timelineWindowUs: timeline.windowStartUs,
      timelineStartUs: at,
      v0: timeline.v,
      u0: timeline.u,
      disorderAtStart: node.disorder,
      exact,
      closedParts: [],
    };
    node.inFlight.set(requestId, request);
    this.requests.set(requestId, request);
    this.see(startUs);
    return true;
  }

  /**
   * Records the end of a request and returns its allocation so far: the time share now (final parts for windows
   * already closed, provisional ones for open windows). Undefined for an unknown request (never started, or evicted).
   */
  end(requestId: string, endMs: number, usage?: AllocationUsage): RequestAllocation | undefined {
    const request = this.requests.get(requestId);
    if (!request || !Number.isFinite(endMs)) {
      this.counters.ignored++;
      return undefined;
    }
    const node = request.node;
    let endUs = Math.max(toUs(endMs), request.startUs);
    if (endUs < this.nextCloseUs!) {
      this.counters.late++;
      endUs = this.nextCloseUs!;
    }
    const timeline = node.timeline;
    let at = Math.max(endUs, node.originUs);
    if (at < timeline.lastUs) {
      this.counters.outOfOrder++;
      node.disorder++;
      at = timeline.lastUs;
    }
    timeline.advance(at);
    const openWeights = this.openTimeWeights(request);
    const spanUs = at - request.timelineStartUs;
    const meanConcurrency = spanUs > 0 ? (timeline.u - request.u0) / spanUs : timeline.inFlight;
    timeline.inFlight--;
    this.forget(request);

    const weight = methodWeight(this.config, usage);
    const weightFromUs = Math.max(request.startUs, this.nextCloseUs!);
    this.addEnded(node, { id: requestId, startUs: request.startUs, endUs, weight, weightFromUs }, endUs);
    this.see(endUs);

    const parts = request.closedParts.slice();
    let direct = 0;
    let gpuSeconds = 0;
    for (const part of parts) {
      direct += part.direct;
      gpuSeconds += part.gpuSeconds;
    }
    for (const [windowUs, timeWeight] of openWeights) {
      const partDirect = this.config.method === 'time' ? node.price(timeWeight) : 0;
      const partSeconds = timeWeight / this.scale / 1e6;
      direct += partDirect;
      gpuSeconds += partSeconds;
      parts.push({
        requestId,
        nodeId: node.node.id,
        windowStart: windowUs / 1000,
        windowEnd: (windowUs + this.windowUs) / 1000,
        gpuSeconds: partSeconds,
        direct: partDirect,
        idleShare: 0,
        overhead: 0,
        total: partDirect,
        final: false,
      });
    }
    return {
      requestId,
      nodeId: node.node.id,
      currency: node.node.currency,
      method: this.config.method,
      start: request.startUs / 1000,
      end: endUs / 1000,
      gpuSeconds,
      meanConcurrency,
      direct,
      parts,
      exact: request.exact && node.disorder === request.disorderAtStart,
      final: openWeights.length === 0,
    };
  }

  /** A finished request in one call (start, then end). */
  record(interval: RequestInterval): RequestAllocation | undefined {
    if (!this.start(interval.id, interval.nodeId, interval.start)) return undefined;
    return this.end(interval.id, interval.end ?? interval.start, interval.usage);
  }

  /**
   * Closes every window that ends at or before `watermarkMs` (span time, e.g. the latest span end seen minus a
   * grace period), on every node, in order. Requests older than `maxRequestAge` are evicted first. A window
   * closes once; its state is dropped.
   */
  closeWindows(watermarkMs: number): WindowClose[] {
    const closes: WindowClose[] = [];
    if (this.nextCloseUs === undefined || !Number.isFinite(watermarkMs)) return closes;
    const watermarkUs = toUs(watermarkMs);
    while (this.nextCloseUs + this.windowUs <= watermarkUs) {
      closes.push(this.closeOne(this.nextCloseUs));
      this.nextCloseUs += this.windowUs;
    }
    return closes;
  }

  /** Closes every window up to the end of the one holding the latest timestamp seen (shutdown, flush). */
  closeAll(): WindowClose[] {
    if (this.latestUs === undefined) return [];
    const endUs = (Math.floor(this.latestUs / this.windowUs) + 1) * this.windowUs;
    return this.closeWindows(endUs / 1000);
  }

  /**
   * A provisional fully-loaded figure for a request whose windows are still open, from the node's last closed
   * window: its idle-per-direct and overhead ratios, and for `tokens`/`requests` its price per weight.
   * Pass the same usage as to `end()`. Rounded down to micro-units; `final` only when every part is.
   */
  estimate(allocation: RequestAllocation, usage?: AllocationUsage): AllocationEstimate {
    const node = this.nodes.get(allocation.nodeId);
    const last = node?.last;
    let closedDirect = 0;
    let closedIdle = 0;
    let closedOverhead = 0;
    let openDirect = 0n;
    let openSeconds = 0;
    for (const part of allocation.parts) {
      if (part.final) {
        closedDirect += part.direct;
        closedIdle += part.idleShare;
        closedOverhead += part.overhead;
      } else {
        openDirect += BigInt(part.direct);
        openSeconds += part.gpuSeconds;
      }
    }
    if (allocation.final || !last) {
      const direct = closedDirect + Number(openDirect);
      return this.estimateResult(allocation, direct, closedIdle, closedOverhead, allocation.final);
    }
    if (this.config.method !== 'time') {
      const totalSeconds = allocation.gpuSeconds;
      const fraction = totalSeconds > 0 ? openSeconds / totalSeconds : 1;
      const weight = BigInt(Math.round(methodWeight(this.config, usage) * fraction));
      openDirect = last.methodWeight > 0n ? (weight * last.direct) / last.methodWeight : 0n;
    }
    const openIdle = this.config.idle === 'shared' && last.direct > 0n ? (openDirect * last.idle) / last.direct : 0n;
    const openOverhead = last.carried > 0n ? ((openDirect + openIdle) * last.overhead) / last.carried : 0n;
    return this.estimateResult(
      allocation,
      closedDirect + Number(openDirect),
      closedIdle + Number(openIdle),
      closedOverhead + Number(openOverhead),
      false,
    );
  }

  /** Counters and sizes: in-flight requests, open windows, evicted, late, out-of-order and ignored events. */
  stats(): AllocatorStats {
    const open =
      this.nextCloseUs === undefined || this.latestUs === undefined
        ? 0
        : Math.max(0, Math.floor((this.latestUs - this.nextCloseUs) / this.windowUs) + 1);
    return { inFlight: this.requests.size, openWindows: open, ...this.counters };
  }

  /** Start (ms) of the first window not yet closed, once the allocator has an origin. */
  get firstOpenWindow(): number | undefined {
    return this.nextCloseUs === undefined ? undefined : this.nextCloseUs / 1000;
  }

  /** The latest span timestamp seen (ms). */
  get latestTimestamp(): number | undefined {
    return this.latestUs === undefined ? undefined : this.latestUs / 1000;
  }

  private estimateResult(
    allocation: RequestAllocation,
    direct: number,
    idleShare: number,
    overhead: number,
    final: boolean,
  ): AllocationEstimate {
    return {
      requestId: allocation.requestId,
      nodeId: allocation.nodeId,
      direct,
      idleShare,
      overhead,
      total: direct + idleShare + overhead,
      final,
    };
  }

  private isOpen(): boolean {
    return this.nextCloseUs !== undefined;
  }

  private setOrigin(originUs: number): void {
    let first = Math.floor(originUs / this.windowUs) * this.windowUs;
    for (const node of this.config.nodes) {
      const origin = node.startUs ?? originUs;
      first = Math.min(first, Math.floor(origin / this.windowUs) * this.windowUs);
      this.nodes.set(node.id, {
        node,
        price: timeSharePricer(node.hourlyRate, this.scale),
        originUs: origin,
        timeline: new NodeTimeline(origin, this.config.windowMs, this.scale),
        inFlight: new Map(),
        ended: new Map(),
        endedWeight: new Map(),
        disorder: 0,
        last: undefined,
      });
    }
    this.nextCloseUs = first;
  }

  private nodeFor(nodeId: string, atMs: number): NodeState | undefined {
    if (this.isOpen() || !Number.isFinite(atMs)) return undefined;
    const atUs = toUs(atMs);
    this.setOrigin(Math.floor(atUs / this.windowUs) * this.windowUs);
    return this.nodes.get(nodeId);
  }

  private see(us: number): void {
    if (this.latestUs === undefined || us > this.latestUs) this.latestUs = us;
  }

  private forget(request: InFlightRequest): void {
    request.node.inFlight.delete(request.id);
    this.requests.delete(request.id);
  }

  /** Time weights of a request's open windows, from the timeline (the node must have advanced to its end). */
  private openTimeWeights(request: InFlightRequest): Array<[number, number]> {
    const timeline = request.node.timeline;
    const weights: Array<[number, number]> = [];
    let windowUs = request.timelineWindowUs;
    let v0 = request.v0;
    if (windowUs < this.nextCloseUs!) {
      windowUs = this.nextCloseUs!;
      v0 = 0;
    }
    for (; windowUs < timeline.windowStartUs; windowUs += this.windowUs) {
      weights.push([windowUs, (timeline.windowEndV.get(windowUs) ?? 0) - v0]);
      v0 = 0;
    }
    if (windowUs === timeline.windowStartUs) weights.push([windowUs, timeline.v - v0]);
    return weights;
  }

  private addEnded(node: NodeState, request: WindowRequest, endUs: number): void {
    const lastWindow = Math.floor(endUs / this.windowUs) * this.windowUs;
    const firstWindow = Math.max(this.nextCloseUs!, Math.floor(request.startUs / this.windowUs) * this.windowUs);
    for (let w = firstWindow; w <= lastWindow; w += this.windowUs) {
      let list = node.ended.get(w);
      if (!list) {
        list = [];
        node.ended.set(w, list);
      }
      list.push(request);
    }
    if (request.weight > 0) {
      node.endedWeight.set(lastWindow, (node.endedWeight.get(lastWindow) ?? 0n) + BigInt(request.weight));
    }
  }

  private closeOne(windowStartUs: number): WindowClose {
    const windowEndUs = windowStartUs + this.windowUs;
    const inputs: NodeWindowInput[] = [];
    for (const node of this.nodes.values()) {
      if (node.timeline.lastUs < windowEndUs) node.timeline.advance(windowEndUs);
      this.evict(node, windowStartUs, windowEndUs);
      const requests = node.ended.get(windowStartUs) ?? [];
      for (const request of node.inFlight.values()) {
        if (request.startUs < windowEndUs) {
          requests.push({
            id: request.id,
            startUs: request.startUs,
            endUs: undefined,
            weight: 0,
            weightFromUs: request.startUs,
          });
        }
      }
      inputs.push({ node: node.node, originUs: node.originUs, requests });
    }
    const close = allocateWindow(this.config, windowStartUs, inputs);
    const partsById = new Map<string, RequestWindowPart>();
    if (this.requests.size > 0) for (const part of close.requests) partsById.set(part.requestId, part);
    for (const node of this.nodes.values()) {
      for (const request of node.inFlight.values()) {
        const part = partsById.get(request.id);
        if (part && part.nodeId === node.node.id) request.closedParts.push(part);
      }
      const record = close.nodes.find((r) => r.nodeId === node.node.id);
      if (record) {
        node.last = {
          direct: BigInt(record.direct),
          idle: BigInt(record.idle),
          overhead: BigInt(record.overhead),
          carried: BigInt(record.direct + record.idleShared),
          methodWeight: node.endedWeight.get(windowStartUs) ?? 0n,
        };
      }
      node.ended.delete(windowStartUs);
      node.endedWeight.delete(windowStartUs);
      node.timeline.windowEndV.delete(windowStartUs);
    }
    return close;
  }

  /** Ends requests in flight longer than `maxRequestAge` at the end of the closing window, and counts them. */
  private evict(node: NodeState, windowStartUs: number, windowEndUs: number): void {
    const horizonUs = windowEndUs - this.config.maxRequestAgeMs * 1000;
    for (const request of node.inFlight.values()) {
      if (request.startUs >= horizonUs) continue;
      this.counters.evicted++;
      const timeline = node.timeline;
      if (timeline.lastUs > windowEndUs) node.disorder++;
      timeline.inFlight--;
      this.forget(request);
      const list = node.ended.get(windowStartUs) ?? [];
      list.push({ id: request.id, startUs: request.startUs, endUs: windowEndUs, weight: 0, weightFromUs: 0 });
      node.ended.set(windowStartUs, list);
    }
  }
}

function isResolved(config: GpuConfig | ResolvedGpuConfig): config is ResolvedGpuConfig {
  return 'windowMs' in config && Object.isFrozen(config);
}
