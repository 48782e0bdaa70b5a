/**
 * The one place that knows the collector's table layout (packages/collector/sql/store-schema.sql, version 1). Every query projects the collector's columns onto the
 * names reporting uses; `$1`/`$2` are the inclusive start and exclusive end of the time range in epoch ms.
 */

export const SPANS_TABLE = 'inference_spans';
export const NODE_WINDOWS_TABLE = 'gpu_node_windows';

export const SELECT_REQUESTS = `
SELECT
  epoch_ms(start_time) AS time_ms, trace_id, span_id, service_name AS service, provider, request_model,
  coalesce(response_model, request_model) AS model, pricing_model AS priced_model, feature, tenant,
  gpu_node AS node, service_tier,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
  pricing_status, cost_nanos AS cost, cost_input_nanos AS cost_input, cost_output_nanos AS cost_output,
  cost_cache_read_nanos AS cost_cache_read, cost_cache_write_nanos AS cost_cache_write,
  cost_request_nanos AS cost_request, cost_gpu_nanos AS cost_gpu, cost_idle_nanos AS cost_idle,
  cost_overhead_nanos AS cost_overhead
FROM ${SPANS_TABLE}
WHERE epoch_ms(start_time) >= $1 AND epoch_ms(start_time) < $2`;

export const SELECT_NODE_WINDOWS = `
SELECT
  node, epoch_ms(window_start) AS start_ms, epoch_ms(window_end) AS end_ms, node_cost_nanos AS node_cost,
  direct_cost_nanos AS direct_cost, idle_cost_nanos AS idle_cost,
  idle_shared_cost_nanos AS idle_shared_cost, overhead_cost_nanos AS overhead_cost,
  busy_seconds, requests
FROM ${NODE_WINDOWS_TABLE}
WHERE epoch_ms(window_start) >= $1 AND epoch_ms(window_start) < $2`;
