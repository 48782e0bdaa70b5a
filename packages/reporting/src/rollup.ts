import { divRound } from '@costspan/pricing';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, dimensionSql, num, queryObjects } from './sql.js';
import { spansSql, windowsSql } from './store-schema.js';
import type { CostComponents, Dimension } from './types.js';

/** One line of a rollup: the requests sharing the same values on the chosen dimensions. */
export interface RollupRow {
  key: Record<string, string>;
  requests: number;
  /** Requests without a price (their cost is unknown, never counted as $0). */
  unpriced: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Σ cost of priced requests, nano-dollars. */
  cost: bigint;
  components: CostComponents;
  /** Per priced request, nano-dollars (mean rounded half-to-even); null when none is priced. */
  mean: bigint | null;
  p50: bigint | null;
  p95: bigint | null;
}

/** A GPU node's own line: its cost, how much of it requests used, and the idle rest. */
export interface NodeRow {
  node: string;
  /** The day (YYYY-MM-DD) when the rollup is by day, else null. */
  day: string | null;
  windows: number;
  seconds: number;
  busySeconds: number;
  /** busySeconds / seconds. */
  utilization: number;
  requests: number;
  nodeCost: bigint;
  directCost: bigint;
  idleCost: bigint;
  /** Idle already loaded onto requests (shared idle policy); idleCost − idleSharedCost is the unallocated idle. */
  idleSharedCost: bigint;
  overheadCost: bigint;
}

export interface Rollup {
  dimensions: Dimension[];
  rows: RollupRow[];
  total: RollupRow;
  nodes: NodeRow[];
  nodeTotal: NodeRow | null;
}

export function emptyComponents(): CostComponents {
  return { input: 0n, output: 0n, cacheRead: 0n, cacheWrite: 0n, request: 0n, gpu: 0n, idle: 0n, overhead: 0n };
}

export const COMPONENT_NAMES = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite',
  'request',
  'gpu',
  'idle',
  'overhead',
] as const;

const COMPONENT_COLUMNS: Record<(typeof COMPONENT_NAMES)[number], string> = {
  input: 'c_input',
  output: 'c_output',
  cacheRead: 'c_cache_read',
  cacheWrite: 'c_cache_write',
  request: 'c_request',
  gpu: 'c_gpu',
  idle: 'c_idle',
  overhead: 'c_overhead',
};

/** Aggregates of one rollup line, over span rows `s` (from spansSql): exact HUGEINT sums, nearest-rank percentiles. */
export const SUMMARY_SQL = `count(*) AS requests, count(*) FILTER (WHERE NOT priced) AS unpriced,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
  count(*) FILTER (WHERE priced) AS priced_requests, sum(cost) FILTER (WHERE priced) AS cost,
  ${COMPONENT_NAMES.map((c) => `sum(${COMPONENT_COLUMNS[c]}) FILTER (WHERE priced) AS ${COMPONENT_COLUMNS[c]}`).join(', ')},
  quantile_disc(cost, [0.5, 0.95]) FILTER (WHERE priced) AS percentiles, min(time_ms) AS lo, max(time_ms) AS hi`;

/** A rollup line from one result row of SUMMARY_SQL. */
export function summaryRow(key: Record<string, string>, row: Record<string, unknown>): RollupRow {
  const components = emptyComponents();
  for (const name of COMPONENT_NAMES) components[name] = big(row[COMPONENT_COLUMNS[name]]);
  const cost = big(row.cost);
  const priced = big(row.priced_requests);
  const percentiles = row.percentiles as { items: readonly unknown[] } | null;
  return {
    key,
    requests: num(row.requests),
    unpriced: num(row.unpriced),
    inputTokens: num(row.input_tokens),
    outputTokens: num(row.output_tokens),
    cacheReadTokens: num(row.cache_read_tokens),
    cacheWriteTokens: num(row.cache_write_tokens),
    cost,
    components,
    mean: priced === 0n ? null : divRound(cost, priced),
    p50: priced === 0n || !percentiles ? null : big(percentiles.items[0]),
    p95: priced === 0n || !percentiles ? null : big(percentiles.items[1]),
  };
}

/** The span lines of a rollup, and the first and last span time in the range (null without spans). */
export interface SpanRollup {
  rows: RollupRow[];
  total: RollupRow;
  bounds: TimeRange | null;
}

/**
 * Groups the spans of the range by the dimensions (in order) inside the engine, sorted by cost descending then
 * key, with the total. Memory follows the number of groups, not of spans.
 */
export async function querySpanRollup(
  source: ReportSource,
  range: TimeRange,
  dimensions: readonly Dimension[],
): Promise<SpanRollup> {
  const keys = dimensions.map((d, i) => `${dimensionSql(d)} AS k${i}`);
  const grouped = dimensions.map((_, i) => `k${i}`);
  const sql =
    dimensions.length === 0
      ? `SELECT ${SUMMARY_SQL}, 0 AS is_total FROM (${spansSql(source.spans, range)}) s`
      : `SELECT ${grouped.join(', ')}, ${SUMMARY_SQL}, grouping(${grouped.join(', ')}) <> 0 AS is_total
         FROM (SELECT ${keys.join(', ')}, * FROM (${spansSql(source.spans, range)}) s0) s
         GROUP BY GROUPING SETS ((${grouped.join(', ')}), ())`;
  const result = await queryObjects(source.connection, sql);
  let total: RollupRow | undefined;
  let bounds: TimeRange | null = null;
  const rows: RollupRow[] = [];
  for (const row of result) {
    if (dimensions.length === 0 || row.is_total) {
      total = summaryRow({}, row);
      if (row.lo !== null && row.hi !== null) bounds = { from: num(row.lo), to: num(row.hi) + 1 };
      if (dimensions.length === 0 && num(row.requests) > 0) rows.push(summaryRow({}, row));
      continue;
    }
    const key: Record<string, string> = {};
    dimensions.forEach((d, i) => {
      key[d] = String(row[`k${i}`]);
    });
    rows.push(summaryRow(key, row));
  }
  rows.sort((a, b) => (a.cost === b.cost ? keyText(a).localeCompare(keyText(b)) : a.cost > b.cost ? -1 : 1));
  return { rows, total: total ?? summaryRow({}, {}), bounds };
}

/** A whole rollup of the range: span lines, total and node lines. */
export async function queryRollup(
  source: ReportSource,
  range: TimeRange,
  dimensions: readonly Dimension[],
): Promise<Rollup> {
  const spans = await querySpanRollup(source, range, dimensions);
  return withNodes(spans, dimensions, await queryNodeRows(source, range, dimensions.includes('day')));
}

export function withNodes(spans: SpanRollup, dimensions: readonly Dimension[], nodes: NodeRow[]): Rollup {
  return {
    dimensions: [...dimensions],
    rows: spans.rows,
    total: spans.total,
    nodes,
    nodeTotal: nodes.length === 0 ? null : sumNodeRows(nodes, 'all', null),
  };
}

function keyText(row: RollupRow): string {
  return Object.values(row.key).join('\u0000');
}

/**
 * Node lines, one per node (and per UTC day of window start when `byDay`), summed in the engine; seconds are
 * added in window order, as the windows were always read.
 */
export async function queryNodeRows(source: ReportSource, range: TimeRange, byDay: boolean): Promise<NodeRow[]> {
  if (source.windows === null) return [];
  const day = byDay ? "strftime(make_timestamp(start_ms * 1000), '%Y-%m-%d')" : 'NULL';
  const result = await queryObjects(
    source.connection,
    `SELECT node, ${day} AS day, count(*) AS windows,
       sum((end_ms - start_ms) / 1000 ORDER BY start_ms) AS seconds,
       sum(busy_seconds ORDER BY start_ms) AS busy_seconds, sum(requests) AS requests,
       sum(node_cost) AS node_cost, sum(direct_cost) AS direct_cost, sum(idle_cost) AS idle_cost,
       sum(idle_shared_cost) AS idle_shared_cost, sum(overhead_cost) AS overhead_cost
     FROM (${windowsSql(source.windows, range)}) w GROUP BY ALL`,
  );
  const rows: NodeRow[] = result.map((r) => ({
    node: String(r.node),
    day: byDay ? String(r.day) : null,
    ...windowFigures(r),
  }));
  rows.sort((a, b) => a.node.localeCompare(b.node) || (a.day ?? '').localeCompare(b.day ?? ''));
  return rows;
}

function emptyNodeRow(node: string, day: string | null): NodeRow {
  return {
    node,
    day,
    windows: 0,
    seconds: 0,
    busySeconds: 0,
    utilization: 0,
    requests: 0,
    nodeCost: 0n,
    directCost: 0n,
    idleCost: 0n,
    idleSharedCost: 0n,
    overheadCost: 0n,
  };
}

/** Adds one window's (or one row's) seconds, requests and money into a running node row. */
function addNodePart(
  row: NodeRow,
  part: Pick<
    NodeRow,
    'busySeconds' | 'requests' | 'nodeCost' | 'directCost' | 'idleCost' | 'idleSharedCost' | 'overheadCost'
  >,
  seconds: number,
  windows: number,
): void {
  row.windows += windows;
  row.seconds += seconds;
  row.busySeconds += part.busySeconds;
  row.requests += part.requests;
  row.nodeCost += part.nodeCost;
  row.directCost += part.directCost;
  row.idleCost += part.idleCost;
  row.idleSharedCost += part.idleSharedCost;
  row.overheadCost += part.overheadCost;
}

function sumNodeRows(rows: readonly NodeRow[], node: string, day: string | null): NodeRow {
  const total = emptyNodeRow(node, day);
  for (const r of rows) addNodePart(total, r, r.seconds, r.windows);
  total.utilization = total.seconds > 0 ? total.busySeconds / total.seconds : 0;
  return total;
}

/**
 * The figures of a group of allocation windows (a GPU node's or a shared resource's), from the engine's sums:
 * `windows`, `seconds`, `busy_seconds`, `requests` and the five `*_cost` columns.
 */
export function windowFigures(r: Record<string, unknown>): Omit<NodeRow, 'node' | 'day'> {
  const seconds = num(r.seconds);
  const busySeconds = num(r.busy_seconds);
  return {
    windows: num(r.windows),
    seconds,
    busySeconds,
    utilization: seconds > 0 ? busySeconds / seconds : 0,
    requests: num(r.requests),
    nodeCost: big(r.node_cost),
    directCost: big(r.direct_cost),
    idleCost: big(r.idle_cost),
    idleSharedCost: big(r.idle_shared_cost),
    overheadCost: big(r.overhead_cost),
  };
}
