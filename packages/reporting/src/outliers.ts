import { divRound, ratio } from '@costspan/pricing';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, dimensionSql, num, queryObjects, sqlInt, textOrNull } from './sql.js';
import { spansSql } from './store-schema.js';
import type { Dimension } from './types.js';

export interface TopRequest {
  time: number;
  traceId: string;
  spanId: string;
  feature: string | null;
  tenant: string | null;
  provider: string | null;
  model: string | null;
  node: string | null;
  inputTokens: number;
  outputTokens: number;
  cost: bigint;
}

export interface RisingGroup {
  key: string;
  requests: number;
  previousRequests: number;
  /** Mean cost per request now and in the previous period, nano-dollars. */
  mean: bigint;
  previousMean: bigint;
  /** mean − previousMean. */
  rise: bigint;
  /** mean / previousMean; null when the previous mean was zero. */
  factor: number | null;
}

/** The `n` most expensive priced requests of the range, most expensive first (ties by time, then trace id). */
export async function queryTop(source: ReportSource, range: TimeRange, n: number): Promise<TopRequest[]> {
  const rows = await queryObjects(
    source.connection,
    `SELECT time_ms, trace_id, span_id, feature, tenant, provider, model, node, input_tokens, output_tokens, cost
     FROM (${spansSql(source.spans, range)}) s WHERE priced
     ORDER BY cost DESC, time_ms, trace_id, span_id LIMIT ${sqlInt(n)}`,
  );
  return rows.map((r) => ({
    time: num(r.time_ms),
    traceId: String(r.trace_id),
    spanId: String(r.span_id),
    feature: textOrNull(r.feature),
    tenant: textOrNull(r.tenant),
    provider: textOrNull(r.provider),
    model: textOrNull(r.model),
    node: textOrNull(r.node),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cost: big(r.cost),
  }));
}

async function groupMeans(
  source: ReportSource,
  range: TimeRange,
  dimension: Dimension,
): Promise<Map<string, { requests: number; mean: bigint | null }>> {
  const rows = await queryObjects(
    source.connection,
    `SELECT ${dimensionSql(dimension)} AS k, count(*) AS requests, count(*) FILTER (WHERE priced) AS priced_requests,
       sum(cost) FILTER (WHERE priced) AS cost
     FROM (${spansSql(source.spans, range)}) s GROUP BY k`,
  );
  const map = new Map<string, { requests: number; mean: bigint | null }>();
  for (const r of rows) {
    const priced = big(r.priced_requests);
    map.set(String(r.k), { requests: num(r.requests), mean: priced === 0n ? null : divRound(big(r.cost), priced) });
  }
  return map;
}

/**
 * Groups (by `dimension`, e.g. feature) whose mean cost per request rose most against the previous period of equal
 * length, largest rise first; only groups with priced requests in both periods and a positive rise.
 */
export async function queryRising(
  source: ReportSource,
  current: TimeRange,
  previous: TimeRange,
  dimension: Dimension,
  n: number,
): Promise<RisingGroup[]> {
  const now = await groupMeans(source, current, dimension);
  const before = await groupMeans(source, previous, dimension);
  const result: RisingGroup[] = [];
  for (const [key, a] of now) {
    const b = before.get(key);
    if (!b) continue;
    if (a.mean === null || b.mean === null || a.mean <= b.mean) continue;
    result.push({
      key,
      requests: a.requests,
      previousRequests: b.requests,
      mean: a.mean,
      previousMean: b.mean,
      rise: a.mean - b.mean,
      factor: ratio(a.mean, b.mean),
    });
  }
  result.sort((x, y) => {
    const fx = x.factor ?? Number.POSITIVE_INFINITY;
    const fy = y.factor ?? Number.POSITIVE_INFINITY;
    return fx === fy ? (x.rise === y.rise ? x.key.localeCompare(y.key) : x.rise > y.rise ? -1 : 1) : fy - fx;
  });
  return result.slice(0, n);
}
