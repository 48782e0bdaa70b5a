import { largestRemainder, nodeCostMicros, scaleFloor } from './money.js';
import { monthlyBudgetMicros } from './monthly-budget.js';
import { segmentShare, timeScaleFor } from './time-scale.js';
import type { NodeWindowRecord, RequestWindowPart, ResolvedGpuConfig, ResolvedGpuNode, WindowClose } from './types.js';

/** A request as the window computation sees it (µs since the epoch). */
export interface WindowRequest {
  id: string;
  startUs: number;
  /** undefined: still in flight when the window closes (it counts up to the window's end). */
  endUs: number | undefined;
  /** Method weight (`methodWeight`), spread by time over [weightFromUs, endUs). Ignored by `time`. */
  weight: number;
  weightFromUs: number;
}

/** One node's requests that overlap a window. */
export interface NodeWindowInput {
  node: ResolvedGpuNode;
  /** When the node started costing money, µs. */
  originUs: number;
  requests: readonly WindowRequest[];
}

interface NodeDraft {
  record: NodeWindowRecord;
  parts: RequestWindowPart[];
  base: bigint[];
}

/**
 * Closes one window on every node: node cost, busy time, direct shares, idle and overhead, exactly in integer
 * micro-units. A pure function of its input: the order of requests does not matter (they are sorted by id, which
 * also breaks rounding ties), and running it twice gives the same result. Both doors and both modes end here.
 */
export function allocateWindow(
  config: ResolvedGpuConfig,
  windowStartUs: number,
  inputs: readonly NodeWindowInput[],
): WindowClose {
  const windowEndUs = windowStartUs + config.windowMs * 1000;
  const scale = timeScaleFor(config.windowMs);
  const drafts: NodeDraft[] = [];
  for (const input of inputs) {
    const draft = allocateNode(config, scale, windowStartUs, windowEndUs, input);
    if (draft) drafts.push(draft);
  }
  let windowOverhead = 0n;
  if (config.overhead.kind === 'monthlyBudget' && drafts.length > 0) {
    windowOverhead = monthlyBudgetMicros(config.overhead.monthlyBudget, windowStartUs, windowEndUs);
    const byNode = largestRemainder(
      windowOverhead,
      drafts.map((d) => BigInt(d.record.nodeCost)),
    );
    drafts.forEach((draft, i) => {
      applyOverhead(draft, byNode[i]!);
    });
  } else if (config.overhead.kind === 'percent') {
    const percent = config.overhead.percent;
    for (const draft of drafts) {
      const carried = draft.base.reduce((sum, b) => sum + b, 0n);
      applyOverhead(draft, scaleFloor(carried, { num: percent.num, den: percent.den * 100n }));
    }
  }
  return {
    windowStart: windowStartUs / 1000,
    windowEnd: windowEndUs / 1000,
    nodes: drafts.map((d) => d.record),
    requests: drafts.flatMap((d) => d.parts),
  };
}

function applyOverhead(draft: NodeDraft, overhead: bigint): void {
  draft.record.overhead = Number(overhead);
  if (draft.parts.length === 0) return;
  const shares = largestRemainder(overhead, draft.base);
  draft.parts.forEach((part, i) => {
    part.overhead = Number(shares[i]!);
    part.total += part.overhead;
  });
  draft.record.overheadAllocated = draft.record.overhead;
}

interface Clipped {
  request: WindowRequest;
  from: number;
  to: number;
}

function allocateNode(
  config: ResolvedGpuConfig,
  scale: number,
  windowStartUs: number,
  windowEndUs: number,
  input: NodeWindowInput,
): NodeDraft | undefined {
  const { node, originUs } = input;
  const lo = Math.max(windowStartUs, originUs);
  const hi = windowEndUs;
  if (hi <= lo) return undefined;

  const clipped: Clipped[] = [];
  for (const request of input.requests) {
    const from = Math.max(request.startUs, lo);
    const to = Math.min(request.endUs ?? hi, hi);
    const instant = request.endUs === request.startUs && request.startUs >= lo && request.startUs < hi;
    if (to > from || instant) clipped.push({ request, from, to: instant ? from : to });
  }
  clipped.sort((a, b) => (a.request.id < b.request.id ? -1 : a.request.id > b.request.id ? 1 : a.from - b.from));

  const { timeWeights, busyUs } = sweep(clipped, scale);
  const nodeCost = nodeCostMicros(node.hourlyRate, originUs, windowStartUs, windowEndUs);
  const billedUs = hi - lo;
  const busyCost = (nodeCost * BigInt(busyUs)) / BigInt(billedUs);

  let weights = timeWeights.map(BigInt);
  if (config.method !== 'time') {
    const methodWeights = clipped.map((c) => spreadWeight(c.request, originUs, lo, hi));
    if (methodWeights.some((w) => w > 0n)) weights = methodWeights;
  }
  const direct = largestRemainder(busyCost, weights);
  const idle = nodeCost - (clipped.length > 0 ? busyCost : 0n);
  const idleShares =
    config.idle === 'shared' && clipped.length > 0 ? largestRemainder(idle, direct) : clipped.map(() => 0n);
  const idleShared = idleShares.reduce((sum, s) => sum + s, 0n);

  const windowStart = windowStartUs / 1000;
  const windowEnd = windowEndUs / 1000;
  const parts: RequestWindowPart[] = clipped.map((c, i) => {
    const d = Number(direct[i]!);
    const s = Number(idleShares[i]!);
    return {
      requestId: c.request.id,
      nodeId: node.id,
      windowStart,
      windowEnd,
      gpuSeconds: timeWeights[i]! / scale / 1e6,
      direct: d,
      idleShare: s,
      overhead: 0,
      total: d + s,
      final: true,
    };
  });
  const record: NodeWindowRecord = {
    nodeId: node.id,
    currency: node.currency,
    windowStart,
    windowEnd,
    nodeCost: Number(nodeCost),
    direct: Number(clipped.length > 0 ? busyCost : 0n),
    idle: Number(idle),
    idleShared: Number(idleShared),
    idleResidual: Number(idle - idleShared),
    overhead: 0,
    overheadAllocated: 0,
    requests: clipped.length,
    busyMs: busyUs / 1000,
    utilization: busyUs / billedUs,
    method: config.method,
    idlePolicy: config.idle,
    final: true,
  };
  return { record, parts, base: direct.map((d, i) => d + idleShares[i]!) };
}

/**
 * The time share of every clipped request: a sweep over the start/end instants keeps V, the integral of
 * 1/N(t) in units of 1/K µs (advanced by ⌊dt·K/N⌋ per segment, exactly as the streaming timeline does), and
 * each request gets V(to) − V(from).
 */
function sweep(clipped: readonly Clipped[], scale: number): { timeWeights: number[]; busyUs: number } {
  const starts = clipped.map((c) => c.from).sort((a, b) => a - b);
  const ends = clipped.map((c) => c.to).sort((a, b) => a - b);
  const vAt = new Map<number, number>();
  let i = 0;
  let j = 0;
  let n = 0;
  let v = 0;
  let busyUs = 0;
  let last = starts[0] ?? 0;
  while (i < starts.length || j < ends.length) {
    const t = Math.min(starts[i] ?? Number.POSITIVE_INFINITY, ends[j] ?? Number.POSITIVE_INFINITY);
    if (n > 0 && t > last) {
      v += segmentShare(t - last, scale, n);
      busyUs += t - last;
    }
    last = t;
    vAt.set(t, v);
    while (i < starts.length && starts[i] === t) {
      n++;
      i++;
    }
    while (j < ends.length && ends[j] === t) {
      n--;
      j++;
    }
  }
  return { timeWeights: clipped.map((c) => vAt.get(c.to)! - vAt.get(c.from)!), busyUs };
}

/** The part of a request's method weight that falls in [lo, hi): split by time, whole for an instant request. */
function spreadWeight(request: WindowRequest, originUs: number, lo: number, hi: number): bigint {
  if (request.endUs === undefined || request.weight <= 0) return 0n;
  const from = Math.max(request.weightFromUs, originUs);
  const span = request.endUs - from;
  if (span <= 0) return request.endUs >= lo && request.endUs < hi ? BigInt(request.weight) : 0n;
  const overlap = Math.min(request.endUs, hi) - Math.max(from, lo);
  if (overlap <= 0) return 0n;
  return (BigInt(request.weight) * BigInt(overlap)) / BigInt(span);
}
