import type { RequestGroup, SpanSpread } from './reconcile.js';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, num, queryObjects, ROW_ORDER, sqlInt, sqlString, textOrNull } from './sql.js';
import { spansSql } from './store-schema.js';

/** API spans of the range (not served by a GPU node) grouped by day, provider, priced model and model, in order of their first span. */
export async function queryRequestGroups(source: ReportSource, range: TimeRange): Promise<RequestGroup[]> {
  const rows = await queryObjects(
    source.connection,
    `SELECT strftime(ts, '%Y-%m-%d') AS day, provider, priced_model, model, count(*) AS requests,
       count(*) FILTER (WHERE NOT priced) AS unpriced,
       coalesce(sum(cost - c_gpu - c_idle - c_overhead) FILTER (WHERE priced), 0) AS estimate,
       sum(cache_read_tokens + cache_write_tokens) AS cache_tokens, min(${ROW_ORDER}) AS first
     FROM (${spansSql(source.spans, range)}) s WHERE node IS NULL
     GROUP BY day, provider, priced_model, model ORDER BY first`,
  );
  return rows.map((r) => ({
    day: String(r.day),
    provider: textOrNull(r.provider),
    pricedModel: textOrNull(r.priced_model),
    model: textOrNull(r.model),
    requests: num(r.requests),
    unpriced: num(r.unpriced),
    estimate: big(r.estimate),
    cacheTokens: num(r.cache_tokens),
  }));
}

const nullable = (text: string | null) => (text === null ? 'NULL::VARCHAR' : sqlString(text));

/**
 * A query answering one adjustment per span (day, provider, model, trace_id, span_id, amount; zero amounts left
 * out): each spread's variance split over its spans in proportion to their API estimates (negative ones count as
 * 0; all zero: equally), floor shares first, then one nano-dollar each to the largest remainders, ties to the
 * earlier span (by time, trace id, span id). A negative variance is split as the negation of the positive split.
 */
export function spreadSql(source: ReportSource, range: TimeRange, spreads: readonly SpanSpread[]): string | null {
  if (spreads.length === 0) return null;
  const members: string[] = [];
  const targets: string[] = [];
  spreads.forEach((spread, id) => {
    targets.push(
      `(${id}, ${sqlString(spread.day)}, ${nullable(spread.provider)}, ${nullable(spread.model)}, ${sqlInt(spread.variance)}::HUGEINT)`,
    );
    for (const g of spread.groups) {
      members.push(
        `(${id}, ${sqlString(g.day)}, ${nullable(g.provider)}, ${nullable(g.pricedModel)}, ${nullable(g.model)})`,
      );
    }
  });
  return `WITH m(spread, day, provider, priced_model, model) AS (VALUES ${members.join(', ')}),
    v(spread, t_day, t_provider, t_model, variance) AS (VALUES ${targets.join(', ')}),
    x AS (
      SELECT m.spread, s.trace_id, s.span_id, s.time_ms,
        CASE WHEN s.priced THEN greatest(s.cost - s.c_gpu - s.c_idle - s.c_overhead, 0) ELSE 0 END::HUGEINT AS w
      FROM (${spansSql(source.spans, range)}) s JOIN m
        ON strftime(s.ts, '%Y-%m-%d') = m.day AND s.provider IS NOT DISTINCT FROM m.provider
        AND s.priced_model IS NOT DISTINCT FROM m.priced_model AND s.model IS NOT DISTINCT FROM m.model
      WHERE s.node IS NULL),
    y AS (
      SELECT x.*, abs(v.variance) AS total, sign(v.variance) AS sg,
        row_number() OVER (PARTITION BY x.spread ORDER BY time_ms, trace_id, span_id) AS idx,
        sum(w) OVER (PARTITION BY x.spread) AS wsum, count(*) OVER (PARTITION BY x.spread) AS n
      FROM x JOIN v ON x.spread = v.spread),
    z AS (
      SELECT y.*, CASE WHEN wsum = 0 THEN 1 ELSE w END AS ew, CASE WHEN wsum = 0 THEN n ELSE wsum END AS esum FROM y),
    q AS (SELECT z.*, (total * ew) // esum AS share, (total * ew) % esum AS rem FROM z),
    r AS (
      SELECT q.*, total - sum(share) OVER (PARTITION BY spread) AS left_over,
        row_number() OVER (PARTITION BY spread ORDER BY rem DESC, idx) AS rank
      FROM q),
    a AS (SELECT spread, trace_id, span_id, sg * (share + CASE WHEN rank <= left_over THEN 1 ELSE 0 END) AS amount FROM r)
    SELECT v.t_day AS day, v.t_provider AS provider, v.t_model AS model, a.trace_id, a.span_id, a.amount::BIGINT AS amount
    FROM a JOIN v ON a.spread = v.spread WHERE a.amount <> 0`;
}
