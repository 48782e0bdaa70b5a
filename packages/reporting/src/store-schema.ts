/**
 * The one place that knows the collector's table layout (packages/collector/sql/store-schema.sql). Every report
 * query reads spans and node windows through the projections below, which give the collector's columns the names
 * reporting uses, with missing labels as NULL, missing token counts as 0 and `priced` / `cost` exactly as the
 * reports count them (an unpriced span has no cost, never $0). `from` is the relation to read: a table of the
 * DuckDB store, or a Parquet scan (see report-source.ts). Schema version 2 adds the non-model spans priced by a
 * cost rule or a shared resource (`component_spans`) and the windows of those resources (`resource_windows`); a
 * version-1 store has neither, and reports read them as empty.
 */
import type { TimeRange } from './report-source.js';

export const SPANS_TABLE = 'inference_spans';
export const NODE_WINDOWS_TABLE = 'gpu_node_windows';
export const COMPONENT_SPANS_TABLE = 'component_spans';
export const RESOURCE_WINDOWS_TABLE = 'resource_windows';

const PRICED = "(cost_nanos IS NOT NULL AND coalesce(nullif(pricing_status, ''), 'unpriced') <> 'unpriced')";

function rangeFilter(column: string, range: TimeRange): string {
  return `${column} >= make_timestamp(${micros(range.from)}) AND ${column} < make_timestamp(${micros(range.to)})`;
}

/** Epoch ms → an integer literal of epoch µs, clamped to DuckDB's timestamp range. */
function micros(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  const clamped = Math.max(-9_000_000_000_000, Math.min(Math.trunc(ms), 9_000_000_000_000));
  return `${BigInt(clamped) * 1000n}`;
}

/** Inference spans that started in the range. */
export function spansSql(from: string, range: TimeRange): string {
  return `SELECT
  epoch_ms(start_time) AS time_ms, start_time AS ts, coalesce(trace_id, '') AS trace_id, coalesce(span_id, '') AS span_id,
  nullif(service_name, '') AS service, nullif(provider, '') AS provider,
  nullif(coalesce(response_model, request_model), '') AS model, nullif(pricing_model, '') AS priced_model,
  nullif(feature, '') AS feature, nullif(tenant, '') AS tenant, nullif(gpu_node, '') AS node,
  nullif(service_tier, '') AS service_tier,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(output_tokens, 0) AS output_tokens,
  coalesce(cache_read_tokens, 0) AS cache_read_tokens, coalesce(cache_write_tokens, 0) AS cache_write_tokens,
  coalesce(cache_write_1h_tokens, 0) AS cache_write_1h_tokens, coalesce(reasoning_tokens, 0) AS reasoning_tokens,
  ${PRICED} AS priced, CASE WHEN ${PRICED} THEN cost_nanos END AS cost,
  coalesce(cost_input_nanos, 0) AS c_input, coalesce(cost_output_nanos, 0) AS c_output,
  coalesce(cost_cache_read_nanos, 0) AS c_cache_read, coalesce(cost_cache_write_nanos, 0) AS c_cache_write,
  coalesce(cost_request_nanos, 0) AS c_request, coalesce(cost_gpu_nanos, 0) AS c_gpu,
  coalesce(cost_idle_nanos, 0) AS c_idle, coalesce(cost_overhead_nanos, 0) AS c_overhead
FROM ${from}
WHERE ${rangeFilter('start_time', range)}`;
}

/** GPU node windows that started in the range. */
export function windowsSql(from: string, range: TimeRange): string {
  return `SELECT
  node, epoch_ms(window_start) AS start_ms, epoch_ms(window_end) AS end_ms, node_cost_nanos AS node_cost,
  direct_cost_nanos AS direct_cost, idle_cost_nanos AS idle_cost,
  idle_shared_cost_nanos AS idle_shared_cost, overhead_cost_nanos AS overhead_cost,
  coalesce(busy_seconds, 0) AS busy_seconds, coalesce(requests, 0) AS requests
FROM ${from}
WHERE ${rangeFilter('window_start', range)}`;
}

/**
 * Non-model spans priced by a cost rule or a shared resource that started in the range: always priced (a rule
 * that cannot price a span writes no row). `cost` is the total; a resource share also carries the idle and
 * overhead loaded onto it (`c_idle`, `c_overhead`, both 0 for a rule).
 */
export function componentSpansSql(from: string, range: TimeRange): string {
  return `SELECT
  epoch_ms(start_time) AS time_ms, start_time AS ts, coalesce(trace_id, '') AS trace_id, coalesce(span_id, '') AS span_id,
  nullif(service_name, '') AS service, nullif(feature, '') AS feature, nullif(tenant, '') AS tenant,
  component, rule, rule_kind, units, cost_nanos AS cost,
  coalesce(cost_idle_nanos, 0) AS c_idle, coalesce(cost_overhead_nanos, 0) AS c_overhead
FROM ${from}
WHERE ${rangeFilter('start_time', range)}`;
}

/** Windows of the shared resources of `resources:` that started in the range, named like windowsSql's. */
export function resourceWindowsSql(from: string, range: TimeRange): string {
  return `SELECT
  resource, component, epoch_ms(window_start) AS start_ms, epoch_ms(window_end) AS end_ms,
  resource_cost_nanos AS node_cost, direct_cost_nanos AS direct_cost, idle_cost_nanos AS idle_cost,
  idle_shared_cost_nanos AS idle_shared_cost, overhead_cost_nanos AS overhead_cost,
  coalesce(busy_seconds, 0) AS busy_seconds, coalesce(requests, 0) AS requests, method
FROM ${from}
WHERE ${rangeFilter('window_start', range)}`;
}
