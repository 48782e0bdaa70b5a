import { largestRemainder } from '@costspan/allocation';
import { modelKey, providerKey, ratio } from '@costspan/pricing';
import { dayOf } from './period.js';
import type { InvoiceLine, NodeWindowRecord } from './types.js';

/** One estimate-vs-invoice comparison. Amounts in nano-dollars. */
export interface ReconcileRow {
  day: string;
  provider: string | null;
  model: string | null;
  node: string | null;
  estimate: bigint;
  actual: bigint;
  /** actual − estimate */
  variance: bigint;
  /** actual / estimate; null when there is no estimate. */
  k: number | null;
  flagged: boolean;
  causes: string[];
  /** Requests in this row and how many of them had no price. */
  requests: number;
  unpriced: number;
}

/** A correction to write beside the estimates: to one span, one node window, or (no member) to the row itself. */
export interface Adjustment {
  day: string;
  provider: string | null;
  model: string | null;
  node: string | null;
  traceId: string | null;
  spanId: string | null;
  windowStart: number | null;
  amount: bigint;
}

/**
 * The spans of the store sharing a day, provider, priced model and model (API spans only, not served by a GPU
 * node), summed in the engine. `estimate` is Σ of their API estimates (cost − GPU − idle − overhead; 0 unpriced).
 */
export interface RequestGroup {
  day: string;
  provider: string | null;
  pricedModel: string | null;
  model: string | null;
  requests: number;
  unpriced: number;
  estimate: bigint;
  cacheTokens: number;
}

/**
 * A row's variance to spread over its spans in proportion to their estimates (largest remainder, in span order):
 * the spans are those of `groups`. The engine computes the per-span amounts when they are written.
 */
export interface SpanSpread {
  day: string;
  provider: string | null;
  model: string | null;
  variance: bigint;
  groups: RequestGroup[];
}

export interface ReconcileResult {
  rows: ReconcileRow[];
  /** Adjustments to node windows and to rows without spans. */
  adjustments: Adjustment[];
  /** Variances to spread over spans. */
  spreads: SpanSpread[];
  totals: { estimate: bigint; actual: bigint; adjusted: bigint };
}

interface Bucket {
  day: string;
  provider: string | null;
  model: string | null;
  node: string | null;
  actual: bigint;
  hints: Set<string>;
  groups: RequestGroup[];
  windows: NodeWindowRecord[];
  cacheTokens: number;
}

/**
 * Compares invoice lines with the store's estimates for the same period. Provider lines meet spans by (day,
 * provider, model) — model names compared without provider prefix or date suffix — and lines without a model take
 * that provider's day for every model no line names; node lines meet the node's windows by day. Spans served by a
 * GPU node are never compared with provider lines. Store estimates with no invoice line get rows with actual 0.
 * Adjustments spread each row's variance over its spans (or windows) in proportion to their estimates with
 * largest-remainder rounding, so estimates + adjustments = invoice exactly, row by row.
 */
export function reconcile(
  lines: readonly InvoiceLine[],
  /** In order of their first span. */
  groups: readonly RequestGroup[],
  windows: readonly NodeWindowRecord[],
  threshold: number,
): ReconcileResult {
  const buckets = new Map<string, Bucket>();
  const id = (day: string, provider: string | null, model: string | null, node: string | null) =>
    JSON.stringify([day, provider, model === null ? null : modelKey(model), node]);
  const bucket = (day: string, provider: string | null, model: string | null, node: string | null) => {
    const key = id(day, provider, model, node);
    let b = buckets.get(key);
    if (!b) {
      b = { day, provider, model, node, actual: 0n, hints: new Set(), groups: [], windows: [], cacheTokens: 0 };
      buckets.set(key, b);
    }
    return b;
  };
  const providers = new Set<string>();
  const nodes = new Set<string>();
  for (const line of lines) {
    const provider = line.node === null ? providerKey(line.provider) : null;
    const b = bucket(line.day, provider, line.node === null ? line.model : null, line.node);
    b.actual += line.amount;
    for (const hint of line.hints) b.hints.add(hint);
    if (line.node !== null) nodes.add(line.node);
    else if (provider !== null) providers.add(provider);
  }
  for (const r of groups) {
    const provider = providerKey(r.provider);
    if (provider === null || !providers.has(provider)) continue;
    const day = r.day;
    const candidates = [r.pricedModel, r.model].filter((m): m is string => m !== null);
    let target: Bucket | undefined;
    for (const m of candidates) {
      target = buckets.get(id(day, provider, m, null));
      if (target) break;
    }
    target ??= buckets.get(id(day, provider, null, null));
    target ??= bucket(day, provider, r.model ?? r.pricedModel, null);
    target.groups.push(r);
    target.cacheTokens += r.cacheTokens;
  }
  for (const w of windows) {
    if (!nodes.has(w.node)) continue;
    bucket(dayOf(w.start), null, null, w.node).windows.push(w);
  }

  const rows: ReconcileRow[] = [];
  const adjustments: Adjustment[] = [];
  const totals = { estimate: 0n, actual: 0n, adjusted: 0n };
  const spreads: SpanSpread[] = [];
  for (const b of buckets.values()) {
    const windowEstimates = b.windows.map((w) => w.nodeCost);
    const estimate = [...b.groups.map((g) => g.estimate), ...windowEstimates].reduce((a, v) => a + v, 0n);
    const variance = b.actual - estimate;
    const k = ratio(b.actual, estimate);
    const flagged = k === null ? b.actual !== 0n : Math.abs(1 - k) > threshold;
    const unpriced = b.groups.reduce((a, g) => a + g.unpriced, 0);
    const requests = b.groups.reduce((a, g) => a + g.requests, 0);
    rows.push({
      day: b.day,
      provider: b.provider,
      model: b.model,
      node: b.node,
      estimate,
      actual: b.actual,
      variance,
      k,
      flagged,
      causes: [],
      requests,
      unpriced,
    });
    totals.estimate += estimate;
    totals.actual += b.actual;
    if (variance !== 0n) {
      const base = { day: b.day, provider: b.provider, model: b.model, node: b.node };
      if (requests > 0) {
        spreads.push({ day: b.day, provider: b.provider, model: b.model, variance, groups: b.groups });
      } else if (b.windows.length > 0) {
        const parts = largestRemainder(
          variance,
          windowEstimates.map((e) => (e < 0n ? 0n : e)),
        );
        b.windows.forEach((w, i) => {
          const amount = parts[i]!;
          if (amount !== 0n) adjustments.push({ ...base, traceId: null, spanId: null, windowStart: w.start, amount });
        });
      } else {
        adjustments.push({ ...base, traceId: null, spanId: null, windowStart: null, amount: variance });
      }
    }
  }
  // Largest remainder conserves each spread exactly, so the spans' adjustments add up to their variances.
  totals.adjusted =
    totals.estimate +
    adjustments.reduce((a, adj) => a + adj.amount, 0n) +
    spreads.reduce((a, spread) => a + spread.variance, 0n);
  for (const row of rows) {
    const b = buckets.get(id(row.day, row.provider, row.model, row.node))!;
    if (row.flagged) row.causes = likelyCauses(row, b, rows);
  }
  rows.sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      (a.node ?? '').localeCompare(b.node ?? '') ||
      (a.provider ?? '').localeCompare(b.provider ?? '') ||
      (a.model ?? '').localeCompare(b.model ?? ''),
  );
  return { rows, adjustments, spreads, totals };
}

function likelyCauses(row: ReconcileRow, b: Bucket, all: readonly ReconcileRow[]): string[] {
  const causes: string[] = [];
  if (row.node !== null) {
    if (row.estimate === 0n) causes.push('no node windows recorded (collector down, or the node is not configured)');
    else if (row.k !== null && row.k > 1)
      causes.push('billed hours exceed recorded windows (collector downtime, per-second minimums, rate change)');
    else causes.push('lower billed rate (savings plan, spot, committed use) or a rate cut');
    return causes;
  }
  if (row.actual === 0n) {
    causes.push('not on the invoice yet (allow 24–48 h of billing lag) or billed under another name');
    return causes;
  }
  if (row.unpriced > 0) causes.push(`unpriced spans in the store (${row.unpriced})`);
  if (row.estimate === 0n && row.requests === 0) causes.push('no spans recorded: sampling or uninstrumented calls');
  const up = row.k !== null && row.k > 1;
  if (b.hints.has('batch') && !up) causes.push('batch discount not in the estimate');
  if (b.hints.has('priority') && up) causes.push('priority tier billed above the default price');
  if (b.hints.has('flex') && !up) causes.push('flex tier billed below the default price');
  if (b.hints.has('cache') && b.cacheTokens === 0)
    causes.push('cache pricing: the invoice bills cache tokens the spans did not report');
  else if (b.hints.has('cache')) causes.push('cache pricing (cache reads/writes billed differently from the estimate)');
  if (b.hints.has('long-context') && up) causes.push('long-context tier');
  if (b.hints.has('tool')) causes.push('tool charges (web search, code execution) not on the spans');
  if (b.hints.has('credit') || b.hints.has('adjustment')) causes.push('credits or adjustments on the invoice');
  if (b.hints.has('tax')) causes.push('tax on the invoice');
  if (row.k !== null && row.model !== null) {
    const same = all.filter(
      (r) => r.flagged && r.k !== null && r.provider === row.provider && r.model === row.model && r.node === null,
    );
    if (same.length >= 2 && same.every((r) => Math.abs((r.k ?? 0) - row.k!) <= 0.01 * row.k!)) {
      causes.push(`consistent k ≈ ${row.k.toFixed(3)} on ${same.length} days: price change or negotiated rate`);
    }
  }
  if (causes.length === 0) {
    causes.push(up ? 'missing spans (sampling) or a price rise' : 'discount, credit or a price cut not in the catalog');
  }
  return causes;
}
