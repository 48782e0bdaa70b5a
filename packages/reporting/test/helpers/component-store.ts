/**
 * Store schema 2 for the reports' tests: the two tables the collector adds for cost rules and shared resources
 * (`component_spans`, `resource_windows`), created from the DDL of the issue-14 contract, and rows with chosen
 * exact costs. The DDL is here, not read from the collector, until the collector's schema file carries it: point
 * COMPONENT_TABLES_DDL at packages/collector/sql/store-schema.sql then.
 */
import { DuckDBInstance } from '@duckdb/node-api';

export const COMPONENT_TABLES_DDL = `
CREATE TABLE IF NOT EXISTS component_spans (
  trace_id               VARCHAR   NOT NULL,
  span_id                VARCHAR   NOT NULL,
  parent_span_id         VARCHAR,
  start_time             TIMESTAMP NOT NULL,
  end_time               TIMESTAMP NOT NULL,
  start_time_unix_nano   BIGINT    NOT NULL,
  duration_ms            DOUBLE    NOT NULL,
  span_name              VARCHAR,
  service_name           VARCHAR,
  feature                VARCHAR,
  tenant                 VARCHAR,
  component              VARCHAR   NOT NULL,
  rule                   VARCHAR   NOT NULL,
  rule_kind              VARCHAR   NOT NULL,
  rule_version           VARCHAR,
  units                  DOUBLE,
  currency               VARCHAR   NOT NULL,
  cost_nanos             BIGINT    NOT NULL,
  cost_idle_nanos        BIGINT,
  cost_overhead_nanos    BIGINT,
  cost_usd               DOUBLE    NOT NULL,
  allocation_final       BOOLEAN,
  received_at            TIMESTAMP NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);
CREATE TABLE IF NOT EXISTS resource_windows (
  resource               VARCHAR   NOT NULL,
  component              VARCHAR   NOT NULL,
  window_start           TIMESTAMP NOT NULL,
  window_end             TIMESTAMP NOT NULL,
  currency               VARCHAR   NOT NULL,
  resource_cost_nanos    BIGINT    NOT NULL,
  direct_cost_nanos      BIGINT    NOT NULL,
  idle_cost_nanos        BIGINT    NOT NULL,
  idle_shared_cost_nanos BIGINT    NOT NULL,
  overhead_cost_nanos    BIGINT    NOT NULL,
  resource_cost_usd      DOUBLE    NOT NULL,
  busy_seconds           DOUBLE    NOT NULL,
  utilization            DOUBLE    NOT NULL,
  requests               BIGINT    NOT NULL,
  method                 VARCHAR   NOT NULL,
  idle_policy            VARCHAR   NOT NULL,
  PRIMARY KEY (resource, window_start)
);
`;

export interface ComponentSpanSpec {
  traceId: string;
  spanId: string;
  /** ISO instant the span starts. */
  start: string;
  durationMs?: number;
  feature?: string;
  tenant?: string;
  component: string;
  rule: string;
  kind?: 'rule' | 'resource';
  units?: number;
  costNanos: bigint;
  /** A resource share's idle and overhead (part of costNanos). */
  idleNanos?: bigint;
  overheadNanos?: bigint;
}

export interface ResourceWindowSpec {
  resource: string;
  component: string;
  start: string;
  seconds: number;
  costNanos: bigint;
  directNanos: bigint;
  idleNanos: bigint;
  idleSharedNanos: bigint;
  busySeconds: number;
  requests: number;
  method: string;
}

/** Adds the schema-2 tables (if missing) to the store at `path` and the given rows. */
export async function addComponentRows(
  path: string,
  spans: readonly ComponentSpanSpec[],
  windows: readonly ResourceWindowSpec[] = [],
): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    await c.run(COMPONENT_TABLES_DDL);
    for (const s of spans) {
      const start = Date.parse(s.start);
      const duration = s.durationMs ?? 50;
      await c.run(
        `INSERT INTO component_spans VALUES ($1, $2, NULL, make_timestamp($3::BIGINT * 1000),
           make_timestamp(($3::BIGINT + $4::BIGINT) * 1000), $3::BIGINT * 1000000, $4::DOUBLE, $5, 'svc', $6, $7, $8,
           $9, $10, 'test-rules-1', $11, 'USD', $12::BIGINT, $13::BIGINT, $14::BIGINT, $12::BIGINT / 1e9, $15,
           make_timestamp($3::BIGINT * 1000))`,
        [
          s.traceId,
          s.spanId,
          start,
          duration,
          `${s.component} ${s.rule}`,
          s.feature ?? null,
          s.tenant ?? null,
          s.component,
          s.rule,
          s.kind ?? 'rule',
          s.units ?? null,
          String(s.costNanos),
          s.idleNanos === undefined ? null : String(s.idleNanos),
          s.overheadNanos === undefined ? null : String(s.overheadNanos),
          s.kind === 'resource' ? true : null,
        ],
      );
    }
    for (const w of windows) {
      const start = Date.parse(w.start);
      await c.run(
        `INSERT INTO resource_windows VALUES ($1, $2, make_timestamp($3::BIGINT * 1000),
           make_timestamp(($3::BIGINT + $4::BIGINT * 1000) * 1000), 'USD', $5::BIGINT, $6::BIGINT, $7::BIGINT,
           $8::BIGINT, 0, $5::BIGINT / 1e9, $9::DOUBLE, $9::DOUBLE / $4::DOUBLE, $10::BIGINT, $11, 'shared')`,
        [
          w.resource,
          w.component,
          start,
          w.seconds,
          String(w.costNanos),
          String(w.directNanos),
          String(w.idleNanos),
          String(w.idleSharedNanos),
          w.busySeconds,
          w.requests,
          w.method,
        ],
      );
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
