/**
 * Store schema 2 for the reports' tests: the two tables the collector adds for cost rules and shared resources
 * (`component_spans`, `resource_windows`), created from the collector's own schema file, and rows with chosen
 * exact costs.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { schemaSql } from './synthetic-store.js';

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
    await c.run(schemaSql());
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
