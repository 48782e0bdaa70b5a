-- costspan rollups for ClickHouse, over the table written by the OpenTelemetry Collector's ClickHouse exporter
-- (default table `otel_traces`: Timestamp DateTime64(9), TraceId, SpanId, ServiceName,
-- SpanAttributes Map(LowCardinality(String), String), ResourceAttributes Map(...), Duration UInt64 ns).
-- Span attribute values arrive as strings there; costs are parsed and turned into exact integer nano-dollars
-- (every amount costspan writes is n / 1e9 for an integer n, so round(x * 1e9) recovers n).
-- Adjust the database/table names (`otel.otel_traces`) to your exporter settings.

-- 1. One row per priced inference span (what the collector's DuckDB `inference_spans` holds on one machine).
CREATE TABLE IF NOT EXISTS otel.costspan_inference_spans
(
    Timestamp          DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId            String CODEC(ZSTD(1)),
    SpanId             String CODEC(ZSTD(1)),
    ServiceName        LowCardinality(String),
    Provider           LowCardinality(String),
    RequestModel       LowCardinality(String),
    ResponseModel      LowCardinality(String),
    Operation          LowCardinality(String),
    Feature            LowCardinality(String),
    Tenant             String,
    GpuNode            LowCardinality(String),
    PricingStatus      LowCardinality(String),
    InputTokens        UInt64,
    OutputTokens       UInt64,
    CacheReadTokens    UInt64,
    CacheWriteTokens   UInt64,
    ReasoningTokens    UInt64,
    CostNanos          Nullable(Int64),
    CostInputNanos     Int64,
    CostOutputNanos    Int64,
    CostCacheReadNanos Int64,
    CostCacheWriteNanos Int64,
    CostRequestNanos   Int64,
    CostGpuNanos       Int64,
    CostIdleNanos      Int64,
    CostOverheadNanos  Int64,
    GpuSeconds         Float64,
    AllocationFinal    Nullable(Bool)
)
ENGINE = ReplacingMergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (TraceId, SpanId);

CREATE MATERIALIZED VIEW IF NOT EXISTS otel.costspan_inference_spans_mv TO otel.costspan_inference_spans AS
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ServiceName,
    coalesce(nullIf(SpanAttributes['gen_ai.provider.name'], ''), SpanAttributes['gen_ai.system']) AS Provider,
    SpanAttributes['gen_ai.request.model'] AS RequestModel,
    SpanAttributes['gen_ai.response.model'] AS ResponseModel,
    SpanAttributes['gen_ai.operation.name'] AS Operation,
    coalesce(nullIf(SpanAttributes['costspan.feature'], ''), ResourceAttributes['costspan.feature']) AS Feature,
    coalesce(nullIf(SpanAttributes['costspan.tenant'], ''), ResourceAttributes['costspan.tenant']) AS Tenant,
    SpanAttributes['costspan.gpu.node'] AS GpuNode,
    SpanAttributes['costspan.pricing.status'] AS PricingStatus,
    toUInt64OrZero(SpanAttributes['gen_ai.usage.input_tokens']) AS InputTokens,
    toUInt64OrZero(SpanAttributes['gen_ai.usage.output_tokens']) AS OutputTokens,
    toUInt64OrZero(SpanAttributes['gen_ai.usage.cache_read.input_tokens']) AS CacheReadTokens,
    toUInt64OrZero(SpanAttributes['gen_ai.usage.cache_creation.input_tokens']) AS CacheWriteTokens,
    toUInt64OrZero(SpanAttributes['gen_ai.usage.reasoning.output_tokens']) AS ReasoningTokens,
    toInt64(round(toFloat64OrNull(SpanAttributes['gen_ai.usage.cost.amount']) * 1e9)) AS CostNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.input']) * 1e9)) AS CostInputNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.output']) * 1e9)) AS CostOutputNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.cache_read']) * 1e9)) AS CostCacheReadNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.cache_write']) * 1e9)) AS CostCacheWriteNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.request']) * 1e9)) AS CostRequestNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.gpu']) * 1e9)) AS CostGpuNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.idle']) * 1e9)) AS CostIdleNanos,
    toInt64(round(toFloat64OrZero(SpanAttributes['costspan.cost.overhead']) * 1e9)) AS CostOverheadNanos,
    toFloat64OrZero(SpanAttributes['costspan.gpu.seconds']) AS GpuSeconds,
    if(SpanAttributes['costspan.allocation.final'] = '', NULL, SpanAttributes['costspan.allocation.final'] = 'true') AS AllocationFinal
FROM otel.otel_traces
WHERE SpanAttributes['costspan.pricing.status'] != '';

-- 2. The daily rollup by service, provider, model, feature, tenant and GPU node. Summing keeps it exact:
--    SummingMergeTree adds the integer nano-dollar columns on merge.
CREATE TABLE IF NOT EXISTS otel.costspan_cost_daily
(
    Day               Date,
    ServiceName       LowCardinality(String),
    Provider          LowCardinality(String),
    Model             LowCardinality(String),
    Feature           LowCardinality(String),
    Tenant            String,
    GpuNode           LowCardinality(String),
    Requests          UInt64,
    UnpricedRequests  UInt64,
    InputTokens       UInt64,
    OutputTokens      UInt64,
    CacheReadTokens   UInt64,
    CostNanos         Int64,
    CostGpuNanos      Int64,
    CostIdleNanos     Int64,
    CostOverheadNanos Int64,
    GpuSeconds        Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(Day)
ORDER BY (Day, ServiceName, Provider, Model, Feature, Tenant, GpuNode);

CREATE MATERIALIZED VIEW IF NOT EXISTS otel.costspan_cost_daily_mv TO otel.costspan_cost_daily AS
SELECT
    toDate(Timestamp) AS Day,
    ServiceName,
    Provider,
    if(ResponseModel != '', ResponseModel, RequestModel) AS Model,
    Feature,
    Tenant,
    GpuNode,
    count() AS Requests,
    countIf(PricingStatus = 'unpriced') AS UnpricedRequests,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(coalesce(CostNanos, 0)) AS CostNanos,
    sum(CostGpuNanos) AS CostGpuNanos,
    sum(CostIdleNanos) AS CostIdleNanos,
    sum(CostOverheadNanos) AS CostOverheadNanos,
    sum(GpuSeconds) AS GpuSeconds
FROM otel.costspan_inference_spans
GROUP BY Day, ServiceName, Provider, Model, Feature, Tenant, GpuNode;

-- 3. Reading the rollup (always re-aggregate: SummingMergeTree merges eventually, not at insert).
--    Cost per request by feature and day, in USD:
-- SELECT Day, Feature, sum(Requests) AS requests, sum(CostNanos) / 1e9 AS cost_usd,
--        sum(CostNanos) / 1e9 / sum(Requests) AS cost_per_request_usd
-- FROM otel.costspan_cost_daily
-- WHERE Day >= today() - 30
-- GROUP BY Day, Feature ORDER BY Day, cost_usd DESC;
--
--    Exact per-request figures (a retried export can duplicate a span: deduplicate by key first):
-- SELECT Feature, count() AS requests, sum(coalesce(CostNanos, 0)) / 1e9 AS cost_usd,
--        quantile(0.5)(CostNanos) / 1e9 AS p50_usd, quantile(0.95)(CostNanos) / 1e9 AS p95_usd
-- FROM otel.costspan_inference_spans FINAL
-- WHERE Timestamp >= now() - INTERVAL 1 DAY
-- GROUP BY Feature ORDER BY cost_usd DESC;
