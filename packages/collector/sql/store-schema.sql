-- costspan collector store (DuckDB), schema version 2 (2 adds component_spans and resource_windows; a version-1
-- store gains them when it is opened, every statement here being CREATE ... IF NOT EXISTS).
-- One row per inference span the collector priced or tried to price, and one row per GPU node and closed
-- allocation window. Money is exact: *_nanos columns are integer nano-dollars (1e-9 of `currency`); the
-- *_usd DOUBLE columns repeat the totals for convenience and must not be summed where exactness matters.
-- Rows are keyed so that a retried OTLP batch, or a window closed twice, is stored once (INSERT OR IGNORE).

CREATE TABLE IF NOT EXISTS inference_spans (
  trace_id               VARCHAR   NOT NULL,  -- 32 hex chars
  span_id                VARCHAR   NOT NULL,  -- 16 hex chars
  parent_span_id         VARCHAR,
  start_time             TIMESTAMP NOT NULL,  -- UTC, microsecond precision
  end_time               TIMESTAMP NOT NULL,
  start_time_unix_nano   BIGINT    NOT NULL,
  duration_ms            DOUBLE    NOT NULL,
  span_name              VARCHAR,
  service_name           VARCHAR,             -- resource service.name
  operation              VARCHAR,             -- gen_ai.operation.name
  provider               VARCHAR,             -- gen_ai.provider.name (or the dialect's equivalent)
  request_model          VARCHAR,
  response_model         VARCHAR,
  feature                VARCHAR,             -- costspan.feature
  tenant                 VARCHAR,             -- costspan.tenant
  service_tier           VARCHAR,
  input_tokens           BIGINT,              -- all input, cached included
  output_tokens          BIGINT,              -- all output, reasoning included
  cache_read_tokens      BIGINT,
  cache_write_tokens     BIGINT,
  cache_write_1h_tokens  BIGINT,
  reasoning_tokens       BIGINT,
  input_audio_tokens     BIGINT,
  output_audio_tokens    BIGINT,
  web_search_requests    BIGINT,
  pricing_status         VARCHAR   NOT NULL,  -- priced | partial | unpriced
  pricing_reason         VARCHAR,
  pricing_provider       VARCHAR,             -- the price-book entry that matched
  pricing_model          VARCHAR,
  pricing_source         VARCHAR,             -- catalog/overrides with version or hash
  pricing_tier           VARCHAR,
  cost_source            VARCHAR,             -- local | provider
  currency               VARCHAR,
  cost_nanos             BIGINT,              -- total; NULL when unpriced (never 0 for "unknown")
  cost_input_nanos       BIGINT,
  cost_output_nanos      BIGINT,
  cost_cache_read_nanos  BIGINT,
  cost_cache_write_nanos BIGINT,
  cost_request_nanos     BIGINT,
  cost_gpu_nanos         BIGINT,              -- direct share of GPU node time
  cost_idle_nanos        BIGINT,              -- idle share (idle: shared)
  cost_overhead_nanos    BIGINT,
  cost_usd               DOUBLE,              -- cost_nanos / 1e9, for convenience
  gpu_node               VARCHAR,             -- costspan.gpu.node
  gpu_seconds            DOUBLE,              -- busy node-seconds allocated (time share)
  gpu_concurrency        DOUBLE,
  allocation_method      VARCHAR,             -- time | tokens | requests
  allocation_final       BOOLEAN,             -- false: provisional (streaming mode, window still open)
  received_at            TIMESTAMP NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);

CREATE TABLE IF NOT EXISTS gpu_node_windows (
  node                   VARCHAR   NOT NULL,
  window_start           TIMESTAMP NOT NULL,  -- inclusive, UTC
  window_end             TIMESTAMP NOT NULL,  -- exclusive
  currency               VARCHAR   NOT NULL,
  node_cost_nanos        BIGINT    NOT NULL,  -- rate x billed window length
  direct_cost_nanos      BIGINT    NOT NULL,  -- allocated to requests (busy time)
  idle_cost_nanos        BIGINT    NOT NULL,  -- node_cost - direct: time nobody used
  idle_shared_cost_nanos BIGINT    NOT NULL,  -- part of idle loaded onto requests (idle: shared)
  overhead_cost_nanos    BIGINT    NOT NULL,
  node_cost_usd          DOUBLE    NOT NULL,
  busy_seconds           DOUBLE    NOT NULL,
  utilization            DOUBLE    NOT NULL,  -- busy fraction 0..1
  requests               BIGINT    NOT NULL,
  method                 VARCHAR   NOT NULL,
  idle_policy            VARCHAR   NOT NULL,
  PRIMARY KEY (node, window_start)
);

-- One row per non-model span priced by a `costs:` rule or a share of a `resources:` entry. Never also in
-- inference_spans: a rule never prices a model call.
CREATE TABLE IF NOT EXISTS component_spans (
  trace_id               VARCHAR   NOT NULL,
  span_id                VARCHAR   NOT NULL,
  parent_span_id         VARCHAR,
  start_time             TIMESTAMP NOT NULL,  -- UTC, microsecond precision
  end_time               TIMESTAMP NOT NULL,
  start_time_unix_nano   BIGINT    NOT NULL,
  duration_ms            DOUBLE    NOT NULL,
  span_name              VARCHAR,
  service_name           VARCHAR,
  feature                VARCHAR,             -- costspan.feature (span, then resource attributes)
  tenant                 VARCHAR,             -- costspan.tenant
  component              VARCHAR   NOT NULL,  -- costspan.cost.component
  rule                   VARCHAR   NOT NULL,  -- costspan.cost.rule (rule name or resource id)
  rule_kind              VARCHAR   NOT NULL,  -- 'rule' | 'resource'
  rule_version           VARCHAR,             -- the provenance version of the rule set
  units                  DOUBLE,              -- units read from the rule's attribute (perUnit, or a unit-method resource)
  currency               VARCHAR   NOT NULL,
  cost_nanos             BIGINT    NOT NULL,  -- total (direct + idle + overhead for a resource share)
  cost_idle_nanos        BIGINT,              -- resource share only
  cost_overhead_nanos    BIGINT,              -- resource share only
  cost_usd               DOUBLE    NOT NULL,
  allocation_final       BOOLEAN,             -- resource share only; false = provisional
  received_at            TIMESTAMP NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);

-- One row per shared resource (`resources:` entry) and closed allocation window, as gpu_node_windows.
CREATE TABLE IF NOT EXISTS resource_windows (
  resource               VARCHAR   NOT NULL,  -- the resource id
  component              VARCHAR   NOT NULL,
  window_start           TIMESTAMP NOT NULL,  -- inclusive, UTC
  window_end             TIMESTAMP NOT NULL,  -- exclusive
  currency               VARCHAR   NOT NULL,
  resource_cost_nanos    BIGINT    NOT NULL,  -- rate x billed window length
  direct_cost_nanos      BIGINT    NOT NULL,
  idle_cost_nanos        BIGINT    NOT NULL,
  idle_shared_cost_nanos BIGINT    NOT NULL,
  overhead_cost_nanos    BIGINT    NOT NULL,
  resource_cost_usd      DOUBLE    NOT NULL,
  busy_seconds           DOUBLE    NOT NULL,
  utilization            DOUBLE    NOT NULL,
  requests               BIGINT    NOT NULL,
  method                 VARCHAR   NOT NULL,  -- time | requests | unit
  idle_policy            VARCHAR   NOT NULL,
  PRIMARY KEY (resource, window_start)
);
