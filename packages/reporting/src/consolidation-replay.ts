/**
 * Replays observed request timelines onto fewer GPU nodes and prices every scenario with @costspan/allocation's
 * exact window allocation (`allocateWindow`, the engine both doors use): greedy first-fit placement in start order,
 * honoring each node's concurrency limit (a request that finds every node full waits for the first slot to free,
 * keeping its duration). Memory follows the requests in flight and the open windows, not the whole timeline.
 */
import { allocateWindow, type ResolvedGpuConfig, type ResolvedGpuNode } from '@costspan/allocation';

/** One replayed request, µs since the epoch; `node` is where it was observed. */
export interface ReplayRequest {
  startUs: number;
  endUs: number;
  node: string;
}

export interface ScenarioResult {
  /** `observed`: the requests where they ran; a number: replayed onto the first N nodes. */
  scenario: 'observed' | number;
  nodes: string[];
  requests: number;
  /** Σ node cost over the replayed period, micro-dollars (exact, from the allocation engine). */
  nodeCostMicros: bigint;
  /** Σ cost of the busy time (the part of the node cost the requests used). */
  directMicros: bigint;
  /** Busy time ÷ billed node time. */
  utilization: number;
  /** Idle cost ÷ node cost. */
  idleShare: number;
  /** Highest number of requests in flight on one node. */
  peakInFlight: number;
  /** 99th percentile of the in-flight count each request found on its node (itself included). */
  p99InFlight: number;
  /** The concurrency limit each node was held to (null for `observed`). */
  limit: number | null;
  /** Requests that had to wait for a slot, and the longest wait, ms. */
  queued: number;
  maxWaitMs: number;
}

/** A min-heap of end times (µs). */
class EndHeap {
  readonly #items: number[] = [];
  get size(): number {
    return this.#items.length;
  }
  peek(): number | undefined {
    return this.#items[0];
  }
  push(v: number): void {
    const a = this.#items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

interface Placed {
  id: string;
  startUs: number;
  endUs: number;
}

/** One scenario: its nodes, their in-flight requests, the open windows and the running totals. */
class Scenario {
  readonly #heaps: EndHeap[];
  readonly #open = new Map<number, Placed[][]>();
  readonly #inFlightCounts = new Map<number, number>();
  #nextWindow: number | undefined;
  #originUs = 0;
  #requests = 0;
  #nodeCost = 0n;
  #direct = 0n;
  #idle = 0n;
  #busyMs = 0;
  #billedMs = 0;
  #peak = 0;
  #queued = 0;
  #maxWaitUs = 0;

  constructor(
    readonly label: 'observed' | number,
    readonly config: ResolvedGpuConfig,
    readonly limit: number | null,
    /** observed: node id → index. */
    readonly fixed: Map<string, number> | undefined,
  ) {
    this.#heaps = config.nodes.map(() => new EndHeap());
  }

  get #windowUs(): number {
    return this.config.windowMs * 1000;
  }

  add(request: ReplayRequest, id: string): void {
    const windowUs = this.#windowUs;
    if (this.#nextWindow === undefined) {
      this.#nextWindow = Math.floor(request.startUs / windowUs) * windowUs;
      this.#originUs = this.#nextWindow;
    }
    this.#closeBefore(request.startUs);
    for (const heap of this.#heaps) {
      while (heap.size > 0 && heap.peek()! <= request.startUs) heap.pop();
    }
    let node: number;
    let startUs = request.startUs;
    if (this.fixed) node = this.fixed.get(request.node) ?? -1;
    else {
      node = this.#heaps.findIndex((h) => h.size < this.limit!);
      if (node < 0) {
        // Every node is full: wait for the first slot to free.
        node = 0;
        for (let i = 1; i < this.#heaps.length; i++) if (this.#heaps[i]!.peek()! < this.#heaps[node]!.peek()!) node = i;
        startUs = this.#heaps[node]!.pop()!;
        this.#queued += 1;
        this.#maxWaitUs = Math.max(this.#maxWaitUs, startUs - request.startUs);
      }
    }
    if (node < 0) return;
    const endUs = startUs + Math.max(0, request.endUs - request.startUs);
    const heap = this.#heaps[node]!;
    heap.push(endUs);
    this.#requests += 1;
    this.#peak = Math.max(this.#peak, heap.size);
    this.#inFlightCounts.set(heap.size, (this.#inFlightCounts.get(heap.size) ?? 0) + 1);
    const placed: Placed = { id, startUs, endUs };
    for (let w = Math.floor(startUs / windowUs) * windowUs; w < endUs + 1; w += windowUs) {
      let byNode = this.#open.get(w);
      if (!byNode) {
        byNode = this.config.nodes.map(() => []);
        this.#open.set(w, byNode);
      }
      byNode[node]!.push(placed);
    }
  }

  /** Closes every window that ends at or before `us` (empty ones too: an idle node still costs money). */
  #closeBefore(us: number): void {
    const windowUs = this.#windowUs;
    while (this.#nextWindow !== undefined && this.#nextWindow + windowUs <= us) {
      this.#closeWindow(this.#nextWindow);
      this.#nextWindow += windowUs;
    }
  }

  #closeWindow(w: number): void {
    const byNode = this.#open.get(w);
    this.#open.delete(w);
    const close = allocateWindow(
      this.config,
      w,
      this.config.nodes.map((node: ResolvedGpuNode, i) => ({
        node,
        originUs: this.#originUs,
        requests: (byNode?.[i] ?? []).map((p) => ({
          id: p.id,
          startUs: p.startUs,
          endUs: p.endUs,
          weight: 0,
          weightFromUs: p.startUs,
        })),
      })),
    );
    for (const record of close.nodes) {
      this.#nodeCost += BigInt(record.nodeCost);
      this.#direct += BigInt(record.direct);
      this.#idle += BigInt(record.idle);
      this.#busyMs += record.busyMs;
      this.#billedMs += record.windowEnd - record.windowStart;
    }
  }

  finish(): ScenarioResult {
    let lastEnd = 0;
    for (const byNode of this.#open.values())
      for (const list of byNode) for (const p of list) lastEnd = Math.max(lastEnd, p.endUs);
    this.#closeBefore(Math.ceil((lastEnd + 1) / this.#windowUs) * this.#windowUs);
    const counts = [...this.#inFlightCounts].sort((a, b) => a[0] - b[0]);
    let seen = 0;
    let p99 = 0;
    for (const [count, n] of counts) {
      seen += n;
      p99 = count;
      if (seen >= Math.ceil(this.#requests * 0.99)) break;
    }
    return {
      scenario: this.label,
      nodes: this.config.nodes.map((n) => n.id),
      requests: this.#requests,
      nodeCostMicros: this.#nodeCost,
      directMicros: this.#direct,
      utilization: this.#billedMs > 0 ? this.#busyMs / this.#billedMs : 0,
      idleShare: this.#nodeCost > 0n ? Number((this.#idle * 1_000_000n) / this.#nodeCost) / 1_000_000 : 0,
      peakInFlight: this.#peak,
      p99InFlight: p99,
      limit: this.limit,
      queued: this.#queued,
      maxWaitMs: this.#maxWaitUs / 1000,
    };
  }
}

/**
 * The observed placement and the replay onto 1..N of `config.nodes` (in their order: consolidating onto k nodes
 * keeps the first k), each node held to `limits[i]` requests in flight. Feed requests in start order.
 */
export class ConsolidationReplay {
  readonly #scenarios: Scenario[];
  #count = 0;
  #lastStart = Number.NEGATIVE_INFINITY;

  constructor(config: ResolvedGpuConfig, limit: number) {
    const fixed = new Map(config.nodes.map((n, i) => [n.id, i]));
    this.#scenarios = [new Scenario('observed', config, null, fixed)];
    for (let k = 1; k <= config.nodes.length; k++) {
      this.#scenarios.push(new Scenario(k, { ...config, nodes: config.nodes.slice(0, k) }, limit, undefined));
    }
  }

  add(request: ReplayRequest): void {
    if (request.startUs < this.#lastStart) throw new RangeError('requests must come in start order');
    this.#lastStart = request.startUs;
    const id = String(this.#count++);
    for (const scenario of this.#scenarios) scenario.add(request, id);
  }

  finish(): ScenarioResult[] {
    return this.#scenarios.map((s) => s.finish());
  }
}
