/**
 * Cost per request by component: what each request (a trace) paid for. A model call's cost splits into its
 * tokens (everything the price book charged: tokens, request fees), its GPU time, and overhead (the overhead
 * percent plus the idle of a shared GPU node loaded onto it); a non-model span priced by a cost rule or a shared
 * resource (`component_spans`) adds its component (`retrieval`, `rerank`, `tool`, `egress`, … as the rule names
 * it), its share of a resource's idle and overhead going to overhead as for GPU nodes. The parts of a request sum
 * to its cost exactly. Everything is summed in the engine; JavaScript sees one row per group and part.
 */
import { largestRemainder } from '@costspan/allocation';
import { divRound } from '@costspan/pricing';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, dimensionSql, num, queryObjects, sqlString } from './sql.js';
import { componentSpansSql, spansSql } from './store-schema.js';
import type { Dimension } from './types.js';

/** The part of a model call's cost the price book charged (tokens, request fees, …). */
export const TOKENS_PART = 'tokens';
/** GPU time of a self-hosted node, used directly by the request. */
export const GPU_PART = 'gpu';
/** Overhead percent and shared idle, of GPU nodes and of shared resources alike. */
export const OVERHEAD_PART = 'overhead';

/** One line of the split: the requests sharing the same values on the chosen dimensions. */
export interface SplitRow {
  key: Record<string, string>;
  /** Requests (distinct traces) with at least one span in the group. */
  requests: number;
  /** Requests with a model call that has no price: their cost is partly unknown (never counted as $0). */
  unpriced: number;
  /** Σ priced parts, nano-dollars. */
  cost: bigint;
  /** Σ per part, nano-dollars; Σ parts = cost exactly. */
  parts: Record<string, bigint>;
  /** Cost per fully priced request (mean rounded half-to-even); null when none is fully priced. */
  mean: bigint | null;
  /** `mean` split over the parts in proportion to their cost (largest remainder): Σ = mean exactly. */
  perRequest: Record<string, bigint>;
}

export interface ComponentSplit {
  dimensions: Dimension[];
  /** Parts in display order: tokens, gpu, the rule and resource components by cost, overhead. */
  parts: string[];
  rows: SplitRow[];
  total: SplitRow;
}

/**
 * The cost parts of the range, one row per span and part, with the dimension columns of spansSql (`model`,
 * `provider`, `node` are NULL on non-model parts), `component` (the part), `priced`, `cost` and `trace_priced`
 * (no model call of the trace in the range lacks a price). An unpriced model call is one `tokens` row without cost.
 */
export function costPartsSql(source: ReportSource, range: TimeRange): string {
  const tokens = sqlString(TOKENS_PART);
  const gpu = sqlString(GPU_PART);
  const overhead = sqlString(OVERHEAD_PART);
  const model = `SELECT time_ms, ts, trace_id, service, feature, tenant, model, provider, node,
      p.component AS component, priced, p.cost AS cost
    FROM (SELECT *, unnest([
        {'component': ${tokens}, 'cost': cost - c_gpu - c_idle - c_overhead, 'keep': true},
        {'component': ${gpu}, 'cost': CASE WHEN priced THEN c_gpu END, 'keep': false},
        {'component': ${overhead}, 'cost': CASE WHEN priced THEN c_idle + c_overhead END, 'keep': false}
      ]) AS p FROM (${spansSql(source.spans, range)}) s0) s
    WHERE p.keep OR p.cost <> 0`;
  const components = source.components
    ? `UNION ALL SELECT time_ms, ts, trace_id, service, feature, tenant, NULL::VARCHAR AS model,
        NULL::VARCHAR AS provider, NULL::VARCHAR AS node, p.component AS component, true AS priced, p.cost AS cost
      FROM (SELECT *, unnest([
          {'component': component, 'cost': cost - c_idle - c_overhead, 'keep': true},
          {'component': ${overhead}, 'cost': c_idle + c_overhead, 'keep': false}
        ]) AS p FROM (${componentSpansSql(source.components, range)}) c0) c
      WHERE p.keep OR p.cost <> 0`
    : '';
  // A trace is fully priced unless one of its model calls has no price (rule rows are always priced): a semi-join
  // on the few unpriced traces, not a window over every row.
  return `SELECT *, trace_id NOT IN (
      SELECT trace_id FROM (${spansSql(source.spans, range)}) u WHERE NOT priced) AS trace_priced
    FROM (${model} ${components}) parts`;
}

/** Whether the source holds non-model spans priced by a rule or a resource in the range. */
export async function hasComponentRows(source: ReportSource, range: TimeRange): Promise<boolean> {
  if (!source.components) return false;
  const [row] = await queryObjects(
    source.connection,
    `SELECT count(*) AS n FROM (SELECT 1 FROM (${componentSpansSql(source.components, range)}) c LIMIT 1) x`,
  );
  return big(row?.n) > 0n;
}

/** The first and last start of a priced non-model span (epoch ms, end exclusive); null when there are none. */
export async function componentBounds(source: ReportSource, range: TimeRange): Promise<TimeRange | null> {
  if (!source.components) return null;
  const [row] = await queryObjects(
    source.connection,
    `SELECT min(time_ms) AS lo, max(time_ms) AS hi FROM (${componentSpansSql(source.components, range)}) c`,
  );
  if (!row || row.lo === null || row.hi === null) return null;
  return { from: num(row.lo), to: num(row.hi) + 1 };
}

function emptyRow(key: Record<string, string>): SplitRow {
  return { key, requests: 0, unpriced: 0, cost: 0n, parts: {}, mean: null, perRequest: {} };
}

/**
 * Groups the cost parts of the range by the dimensions (in order; `component` groups by part) in two queries:
 * per group and part Σ cost (and Σ over the fully priced requests, for the per-request figures), and per group the
 * requests (distinct traces). Rows sorted by cost descending, then key.
 */
export async function queryComponentSplit(
  source: ReportSource,
  range: TimeRange,
  dimensions: readonly Dimension[],
): Promise<ComponentSplit> {
  const keys = dimensions.map((d, i) => `${dimensionSql(d)} AS k${i}`);
  const grouped = dimensions.map((_, i) => `k${i}`);
  const isTotal = grouped.length === 0 ? 'true' : `grouping(${grouped}) <> 0`;
  const keyed = `SELECT ${[...keys, ''].join(', ')} ${dimensionSql('component')} AS part, *
    FROM (${costPartsSql(source, range)}) p0`;
  // Sums per group and part, and per part in all: plain aggregates.
  const sums = await queryObjects(
    source.connection,
    `SELECT ${[...grouped, ''].join(', ')} part, ${isTotal} AS is_total,
       sum(cost) FILTER (WHERE priced) AS cost, sum(cost) FILTER (WHERE trace_priced) AS priced_cost
     FROM (${keyed}) p
     GROUP BY GROUPING SETS (${grouped.length === 0 ? '' : `(${grouped}, part), `}(part))`,
  );
  // Requests (distinct traces) per group and in all: the only per-trace state, two distinct counts. With
  // `component` among the dimensions a group is one part, so these are also the requests of each part.
  // First one row per group and trace (a plain hash aggregate), then counted per group; the total counts traces
  // once even when one spans several groups.
  const perTrace = `SELECT ${[...grouped, ''].join(', ')} trace_id, bool_and(trace_priced) AS trace_priced,
      sum(cost) FILTER (WHERE priced) AS cost, sum(cost) FILTER (WHERE trace_priced) AS priced_cost
    FROM (${keyed}) p GROUP BY ALL`;
  const counts = await queryObjects(
    source.connection,
    grouped.length === 0
      ? `SELECT true AS is_total, count(*) AS requests, count(*) FILTER (WHERE NOT trace_priced) AS unpriced,
           sum(cost) AS cost, sum(priced_cost) AS priced_cost FROM (${perTrace}) t`
      : `SELECT ${grouped}, false AS is_total, count(*) AS requests,
           count(*) FILTER (WHERE NOT trace_priced) AS unpriced, sum(cost) AS cost, sum(priced_cost) AS priced_cost
         FROM (${perTrace}) t GROUP BY ALL
         UNION ALL
         SELECT ${grouped.map((k) => `NULL AS ${k}`)}, true, count(DISTINCT trace_id),
           count(DISTINCT trace_id) FILTER (WHERE NOT trace_priced), sum(cost), sum(priced_cost)
         FROM (${perTrace}) t`,
  );
  const result: Record<string, unknown>[] = [
    ...counts.map((r) => ({ ...r, all_parts: true })),
    ...sums.map((r) => ({ ...r, all_parts: false })),
  ];
  const rows = new Map<string, SplitRow>();
  const pricedParts = new Map<SplitRow, Record<string, bigint>>();
  const pricedCost = new Map<SplitRow, { cost: bigint; requests: bigint }>();
  const total = emptyRow({});
  for (const r of result) {
    let row = total;
    if (!r.is_total) {
      const key: Record<string, string> = {};
      dimensions.forEach((d, i) => {
        key[d] = String(r[`k${i}`]);
      });
      const text = Object.values(key).join('\u0000');
      row = rows.get(text) ?? emptyRow(key);
      rows.set(text, row);
    }
    if (r.all_parts) {
      row.requests = num(r.requests);
      row.unpriced = num(r.unpriced);
      row.cost = big(r.cost);
      // A trace is priced or not as a whole, so the fully priced requests are the others.
      pricedCost.set(row, { cost: big(r.priced_cost), requests: big(r.requests) - big(r.unpriced) });
    } else {
      const part = String(r.part);
      row.parts[part] = big(r.cost);
      const priced = pricedParts.get(row) ?? {};
      priced[part] = big(r.priced_cost);
      pricedParts.set(row, priced);
    }
  }
  const parts = partOrder(total.parts);
  const all = [...rows.values(), total];
  for (const row of all) {
    const priced = pricedCost.get(row);
    row.parts = ordered(row.parts, parts);
    if (!priced || priced.requests === 0n) continue;
    row.mean = divRound(priced.cost, priced.requests);
    row.perRequest = splitMean(row.mean, ordered(pricedParts.get(row) ?? {}, parts), priced.requests);
  }
  const list = [...rows.values()].sort((a, b) =>
    a.cost === b.cost ? keyText(a).localeCompare(keyText(b)) : a.cost > b.cost ? -1 : 1,
  );
  return { dimensions: [...dimensions], parts, rows: list, total };
}

/** tokens, gpu, then the other parts by cost descending (name on ties), overhead last. */
function partOrder(totals: Record<string, bigint>): string[] {
  const fixed = new Set([TOKENS_PART, GPU_PART, OVERHEAD_PART]);
  const rest = Object.keys(totals)
    .filter((p) => !fixed.has(p))
    .sort((a, b) => {
      const x = totals[a] ?? 0n;
      const y = totals[b] ?? 0n;
      return x === y ? a.localeCompare(b) : x > y ? -1 : 1;
    });
  return [TOKENS_PART, GPU_PART, ...rest, OVERHEAD_PART].filter((p) => p in totals);
}

function ordered(values: Record<string, bigint>, order: readonly string[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const p of order) if (p in values) out[p] = values[p] ?? 0n;
  return out;
}

/** The mean split over the parts in proportion to their cost, summing to the mean exactly. */
function splitMean(mean: bigint, parts: Record<string, bigint>, requests: bigint): Record<string, bigint> {
  const names = Object.keys(parts);
  const weights = names.map((n) => parts[n] ?? 0n);
  // A negative part (a row whose shares exceed its cost) has no proportional split: each part's own mean.
  const shares = weights.some((w) => w < 0n)
    ? weights.map((w) => divRound(w, requests))
    : largestRemainder(mean, weights);
  return Object.fromEntries(names.map((n, i) => [n, shares[i] ?? 0n]));
}

function keyText(row: SplitRow): string {
  return Object.values(row.key).join('\u0000');
}
