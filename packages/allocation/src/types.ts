/**
 * Public configuration and result types of the GPU allocation core.
 *
 * Money: every amount in a result is an integer number of micro-units of the node's currency
 * (micro-dollars for USD), always a safe integer. Time: every timestamp is milliseconds since the Unix epoch,
 * taken from the spans themselves (never the wall clock); internally it is quantized to whole microseconds.
 */

import type { TokenUsage } from '@costspan/pricing';

/**
 * How a node's busy cost is split among the requests it served. `units` (shared resources only): by a number of
 * units each request reports (`TokenUsage.units`, e.g. rows read or search units), spread by time like `tokens`.
 */
export type AllocationMethod = 'time' | 'tokens' | 'requests' | 'units';

/** What happens to node time nobody used. */
export type IdlePolicy = 'separate' | 'shared';

/** `streaming`: spans leave at once, window-based figures are provisional. `windowed`: spans wait for their window. */
export type AllocationMode = 'streaming' | 'windowed';

/** Which spans a node served. A node matches a span when any one of its rules matches. */
export interface GpuNodeMatch {
  /** `server.address` of client spans (e.g. an OpenAI-compatible client pointed at vLLM). */
  'server.address'?: string;
  /** `server.port` of client spans; only together with `server.address`. */
  'server.port'?: number;
  /** Resource attributes that must all be equal (spans produced on the node itself), e.g. `{ 'host.name': 'gpu-a' }`. */
  resource?: Record<string, string>;
}

/** One billable GPU machine. Give `hourlyRate`, or `gpus` × `gpuHourlyRate`. */
export interface GpuNodeConfig {
  id: string;
  /** Price of the whole node per hour, in `currency`. */
  hourlyRate?: number;
  /** Number of GPUs, with `gpuHourlyRate`. */
  gpus?: number;
  /** Price of one GPU per hour, with `gpus`. */
  gpuHourlyRate?: number;
  /** ISO 4217 code, default `USD`. */
  currency?: string;
  /** When the node starts costing money (busy or not). Default: the allocator's start time. */
  startTime?: Date | number | string;
  match?: GpuNodeMatch;
}

/**
 * Weights of `method: 'tokens'`: `w = input·(inputTokens − cached) + cachedInput·cached + output·outputTokens`.
 * Defaults 1, 0.1 and 4 follow the usual ratios of hosted price lists (output ≈ 4× input, cache reads ≈ 0.1×);
 * calibrate them from your server's prefill and decode timings.
 */
export interface TokenWeights {
  /** α: weight of an uncached input token. Default 1. */
  input?: number;
  /** α_c: weight of a cached input token. Default 0.1. */
  cachedInput?: number;
  /** β: weight of an output token. Default 4. */
  output?: number;
}

/** Shared infrastructure cost that cannot be split by usage. */
export type OverheadConfig =
  | {
      /** Percent added on top of what requests carry (direct + idle share), e.g. 10 for 10 %. */
      percent: number;
    }
  | {
      /**
       * Budget per UTC calendar month, in the nodes' currency. Each window gets the exact part of its month
       * (cumulative rounding, so every calendar month sums to the budget), split across nodes by node cost.
       */
      monthlyBudget: number;
    };

/** The `gpu` options, from code or a YAML/JSON file. */
export interface GpuConfig {
  nodes: GpuNodeConfig[];
  /** Window length in ms, aligned to the Unix epoch. Default 60_000; at most one day. */
  window?: number;
  /** Default `time`. */
  method?: AllocationMethod;
  tokenWeights?: TokenWeights;
  /** Default `separate`. */
  idle?: IdlePolicy;
  overhead?: OverheadConfig;
  /** Default `streaming`. */
  mode?: AllocationMode;
  /** Windowed mode: most spans held at once before they go out provisional. Default 10_000. */
  maxHeldSpans?: number;
  /** A request in flight for longer than this (ms) is evicted and counted. Default 3_600_000 (one hour). */
  maxRequestAge?: number;
}

/** An exact non-negative rational number. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export interface ResolvedGpuNode {
  readonly id: string;
  /** Node price per hour, exact. */
  readonly hourlyRate: Rational;
  readonly currency: string;
  /** Start of billing in µs since the epoch, or undefined for "the allocator's start". */
  readonly startUs: number | undefined;
  readonly match: Readonly<GpuNodeMatch>;
}

export type ResolvedOverhead =
  | { readonly kind: 'none' }
  | { readonly kind: 'percent'; readonly percent: Rational }
  | { readonly kind: 'monthlyBudget'; readonly monthlyBudget: Rational };

/** A validated, frozen configuration. */
export interface ResolvedGpuConfig {
  readonly nodes: readonly ResolvedGpuNode[];
  readonly windowMs: number;
  readonly method: AllocationMethod;
  readonly tokenWeights: Readonly<Required<TokenWeights>>;
  readonly idle: IdlePolicy;
  readonly overhead: ResolvedOverhead;
  readonly mode: AllocationMode;
  readonly maxHeldSpans: number;
  readonly maxRequestAgeMs: number;
}

/**
 * The usage a request is weighed by: for `method: 'tokens'`, a narrow view of `@costspan/pricing`'s `TokenUsage`
 * (the one usage type, same names and OTel semantics: `inputTokens` includes the cached ones, `cacheReadTokens`
 * are the cached ones), so the cost core's normalized usage is passed as it is; for a shared resource's `units`
 * method, the units read from the span attribute the resource names.
 */
export type AllocationUsage = Partial<Pick<TokenUsage, 'inputTokens' | 'cacheReadTokens' | 'outputTokens'>> & {
  /** Units of a shared resource's `units` method (read from the span attribute the resource names). */
  units?: number;
};

/** One request as a plain interval: the input of the batch path (the collector's door). */
export interface RequestInterval {
  id: string;
  nodeId: string;
  /** ms since the epoch. */
  start: number;
  /** ms since the epoch; absent when the request was still in flight at the end of the period. */
  end?: number;
  usage?: AllocationUsage;
}

/** One node over one window: what it cost and where that cost went. All amounts in micro-units. */
export interface NodeWindowRecord {
  nodeId: string;
  currency: string;
  /** ms since the epoch, inclusive. */
  windowStart: number;
  /** ms since the epoch, exclusive. */
  windowEnd: number;
  /** ρ·|W| (from the node's start time if it started inside the window). */
  nodeCost: number;
  /** Σ direct over the window's requests = the cost of the busy time. */
  direct: number;
  /** nodeCost − direct. */
  idle: number;
  /** Part of idle loaded onto the requests (idle: 'shared'); 0 when separate. */
  idleShared: number;
  /** idle − idleShared: the idle line left on the node. */
  idleResidual: number;
  /** Overhead of this node in the window. */
  overhead: number;
  /** Part of the overhead carried by requests (the rest stays on the node when it served nobody). */
  overheadAllocated: number;
  /** Requests with a share in the window. */
  requests: number;
  /** Time with at least one request in flight, ms. */
  busyMs: number;
  /** busy fraction: busyMs / billed window length, 0..1. */
  utilization: number;
  method: AllocationMethod;
  idlePolicy: IdlePolicy;
  final: true;
}

/** A request's part of one window. Amounts in micro-units. */
export interface RequestWindowPart {
  requestId: string;
  nodeId: string;
  windowStart: number;
  windowEnd: number;
  /** Busy node-seconds allocated to the request in this window (its time share). */
  gpuSeconds: number;
  direct: number;
  idleShare: number;
  overhead: number;
  /** direct + idleShare + overhead. */
  total: number;
  final: boolean;
}

/** The result of closing one window on every node. */
export interface WindowClose {
  windowStart: number;
  windowEnd: number;
  nodes: NodeWindowRecord[];
  requests: RequestWindowPart[];
}

/** What the allocator knows about a request when it ends. */
export interface RequestAllocation {
  requestId: string;
  nodeId: string;
  currency: string;
  method: AllocationMethod;
  start: number;
  end: number;
  /** Busy node-seconds allocated to the request: ∫ dt / N(t). */
  gpuSeconds: number;
  /** Time-weighted mean number of requests in flight on the node during the request (itself included). */
  meanConcurrency: number;
  /**
   * Direct cost: with `method: 'time'` the time share ρ·∫dt/N(t), computed now, rounded down to a micro-unit per
   * window part (windows already closed give their final part). With `tokens`/`requests` only the parts of
   * closed windows are known; see `estimate()`.
   */
  direct: number;
  parts: RequestWindowPart[];
  /** False when an event of this request or of a concurrent one arrived out of time order (the final close is exact). */
  exact: boolean;
  /** True when every window of the request is already closed. */
  final: boolean;
}

/** A provisional fully-loaded figure for a request whose windows are still open (streaming mode). */
export interface AllocationEstimate {
  requestId: string;
  nodeId: string;
  direct: number;
  idleShare: number;
  overhead: number;
  total: number;
  final: boolean;
}

/** Counters of the allocator's bounded-memory and ordering policies. */
export interface AllocatorStats {
  inFlight: number;
  openWindows: number;
  /** Requests dropped after `maxRequestAge` (cut at the close of the window they were evicted in). */
  evicted: number;
  /** Events whose timestamp fell in an already closed window (moved to the first open window). */
  late: number;
  /** Events behind the node's latest timestamp (final figures stay exact; the at-end figure is marked inexact). */
  outOfOrder: number;
  /** Events for an unknown node or an unknown request, ignored. */
  ignored: number;
}
