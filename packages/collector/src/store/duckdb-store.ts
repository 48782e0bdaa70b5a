import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { FinalAllocation } from '../gpu-stage-state.js';
import {
  COMPONENT_SPAN_COLUMNS,
  type ComponentSpanRow,
  componentSpanValues,
  FINAL_COMPONENT_UPDATE,
  type FinalComponent,
  RESOURCE_WINDOW_COLUMNS,
  type ResourceWindowRow,
  resourceWindowValues,
} from './component-rows.js';
import type { InferenceSpanRow, NodeWindowRow } from './rows.js';

/** The published store schema (sql/store-schema.sql in this package). */
export const STORE_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql', 'store-schema.sql');

const SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'start_time',
  'end_time',
  'start_time_unix_nano',
  'duration_ms',
  'span_name',
  'service_name',
  'operation',
  'provider',
  'request_model',
  'response_model',
  'feature',
  'tenant',
  'service_tier',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'input_audio_tokens',
  'output_audio_tokens',
  'web_search_requests',
  'pricing_status',
  'pricing_reason',
  'pricing_provider',
  'pricing_model',
  'pricing_source',
  'pricing_tier',
  'cost_source',
  'currency',
  'cost_nanos',
  'cost_input_nanos',
  'cost_output_nanos',
  'cost_cache_read_nanos',
  'cost_cache_write_nanos',
  'cost_request_nanos',
  'cost_gpu_nanos',
  'cost_idle_nanos',
  'cost_overhead_nanos',
  'cost_usd',
  'gpu_node',
  'gpu_seconds',
  'gpu_concurrency',
  'allocation_method',
  'allocation_final',
  'received_at',
];
const WINDOW_COLUMNS = [
  'node',
  'window_start',
  'window_end',
  'currency',
  'node_cost_nanos',
  'direct_cost_nanos',
  'idle_cost_nanos',
  'idle_shared_cost_nanos',
  'overhead_cost_nanos',
  'node_cost_usd',
  'busy_seconds',
  'utilization',
  'requests',
  'method',
  'idle_policy',
];
/** Columns given as µs since the epoch and turned into TIMESTAMP by make_timestamp. */
const TIMESTAMP_COLUMNS = new Set(['start_time', 'end_time', 'received_at', 'window_start', 'window_end']);
const FINAL_UPDATE = `
UPDATE inference_spans SET
  cost_nanos = coalesce(cost_nanos, 0) - coalesce(cost_gpu_nanos, 0) - coalesce(cost_idle_nanos, 0)
    - coalesce(cost_overhead_nanos, 0) + $1 + $2 + $3,
  cost_usd = (coalesce(cost_nanos, 0) - coalesce(cost_gpu_nanos, 0) - coalesce(cost_idle_nanos, 0)
    - coalesce(cost_overhead_nanos, 0) + $1 + $2 + $3) / 1e9,
  cost_gpu_nanos = $1,
  cost_idle_nanos = CASE WHEN $2 > 0 OR cost_idle_nanos IS NOT NULL THEN $2 END,
  cost_overhead_nanos = CASE WHEN $3 > 0 OR cost_overhead_nanos IS NOT NULL THEN $3 END,
  gpu_seconds = $4,
  allocation_final = true
WHERE trace_id = $5 AND span_id = $6`;

/** DuckDB binds at most this many parameters per statement comfortably; rows are inserted in chunks. */
const MAX_PARAMS = 30_000;

/** A temporary table shaped like inference_spans, without keys: where a batch with known keys is staged. */
const STAGE = 'costspan_stage_inference_spans';

interface PendingSpans {
  values: DuckDBValue[][];
  resolve(added: number): void;
  reject(error: unknown): void;
}

/**
 * The embedded store: one DuckDB file. Inserts are idempotent (`INSERT OR IGNORE` on the primary keys), so a
 * batch the sender retries, or a window closed again, never counts twice. Writes are serialized.
 *
 * Span rows are written in coalesced batches: calls that arrive while a write runs wait and are written
 * together by the next one, with DuckDB's appender (a batch holding keys already stored goes through a
 * temporary staging table and one `INSERT OR IGNORE … SELECT`), so ingestion keeps up with the receiver.
 */
export class DuckDbStore {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pending: PendingSpans[] = [];
  private flushQueued = false;
  private stage: DuckDBAppender | undefined;
  private direct: DuckDBAppender | undefined;
  private added = 0;
  private readonly readers = new Set<Promise<unknown>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDbStore> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(readFileSync(STORE_SCHEMA_PATH, 'utf8'));
    return new DuckDbStore(instance, connection);
  }

  /**
   * Inserts span rows; resolves once they are committed, with the number of rows the write that carried them
   * added (duplicates are ignored; calls made while a write runs are written together, and each sees that
   * write's total). `spansAdded` counts every row added.
   */
  insertSpans(rows: readonly InferenceSpanRow[], receivedAtMs: number = Date.now()): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const values = rows.map((r) => spanValues(r, receivedAtMs));
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ values, resolve, reject });
      if (this.flushQueued) return;
      this.flushQueued = true;
      this.serialize(() => this.flushSpans()).catch(() => undefined);
    });
  }

  /** Span rows added since the store was opened (duplicates not counted). */
  get spansAdded(): number {
    return this.added;
  }

  insertWindows(rows: readonly NodeWindowRow[]): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.serialize(() => this.insert('gpu_node_windows', WINDOW_COLUMNS, rows.map(windowValues)));
  }

  /** Stores `component_spans` rows (non-model spans priced by a rule or resource share). Idempotent. */
  insertComponentSpans(rows: readonly ComponentSpanRow[], receivedAtMs: number = Date.now()): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    const values = rows.map((r) => componentSpanValues(r, receivedAtMs));
    return this.serialize(() => this.insert('component_spans', COMPONENT_SPAN_COLUMNS, values));
  }

  /** Stores `resource_windows` rows (closed windows of shared resources). Idempotent. */
  insertResourceWindows(rows: readonly ResourceWindowRow[]): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.serialize(() =>
      this.insert('resource_windows', RESOURCE_WINDOW_COLUMNS, rows.map(resourceWindowValues)),
    );
  }

  /** Writes the final figures of resource shares whose windows closed after their row was stored. Idempotent. */
  applyFinalComponents(finals: readonly FinalComponent[]): Promise<number> {
    if (finals.length === 0) return Promise.resolve(0);
    return this.serialize(async () => {
      let changed = 0;
      for (const f of finals) {
        const values = [BigInt(f.costNanos), BigInt(f.idleNanos), BigInt(f.overheadNanos), f.traceId, f.spanId];
        changed += Number((await this.connection.run(FINAL_COMPONENT_UPDATE, values)).rowsChanged);
      }
      return changed;
    });
  }

  /**
   * Writes the final GPU figures of requests whose windows closed after their row was stored: the GPU, idle and
   * overhead components are replaced and the total adjusted by the difference. Idempotent.
   */
  applyFinalAllocations(finals: readonly FinalAllocation[]): Promise<number> {
    if (finals.length === 0) return Promise.resolve(0);
    return this.serialize(async () => {
      let changed = 0;
      await this.connection.run('BEGIN TRANSACTION');
      try {
        for (const f of finals) {
          const result = await this.connection.run(FINAL_UPDATE, [
            BigInt(f.gpuNanos),
            BigInt(f.idleNanos),
            BigInt(f.overheadNanos),
            f.gpuSeconds,
            f.traceId,
            f.spanId,
          ]);
          changed += Number(result.rowsChanged);
        }
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return changed;
    });
  }

  /** Runs a read query (for tests and tools); values are DuckDB's JS values. */
  query(sql: string, values: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    return this.serialize(async () => {
      const reader = await this.connection.runAndReadAll(sql, values);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    });
  }

  /**
   * Runs `fn` on a connection of its own to this store's database, closed afterwards: reads (reports) see the
   * committed rows and run beside the writes instead of queuing behind them. Refused once the store is closing;
   * close() waits for the readers still running.
   */
  async withReader<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the store is closed');
    const run = (async () => {
      const connection = await this.instance.connect();
      try {
        return await fn(connection);
      } finally {
        connection.closeSync();
      }
    })();
    this.readers.add(run);
    try {
      return await run;
    } finally {
      this.readers.delete(run);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain.catch(() => undefined);
    discard(this.stage);
    discard(this.direct);
    await Promise.allSettled([...this.readers]);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async flushSpans(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const added = await this.appendSpans(batch);
      this.added += added;
      for (const p of batch) p.resolve(added);
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  /**
   * The fast path appends straight into `inference_spans`; a batch holding a key already stored (a retried
   * batch) makes that append fail as a whole, and it is then written through the staging table with
   * `INSERT OR IGNORE`, which is also the path for any other failure (it fails too when the disk is full).
   */
  private async appendSpans(batch: PendingSpans[]): Promise<number> {
    // A span twice in one write (a retried batch coalesced with its first try) is written once.
    const seen = new Set<string>();
    const rows: DuckDBValue[][] = [];
    for (const { values } of batch) {
      for (const row of values) {
        const key = `${row[0] as string}/${row[1] as string}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(row);
      }
    }
    try {
      this.direct ??= await this.connection.createAppender('inference_spans');
      appendRows(this.direct, rows);
      this.direct.flushSync();
      return rows.length;
    } catch {
      discard(this.direct);
      this.direct = undefined;
    }
    return this.insertThroughStage(rows);
  }

  private async insertThroughStage(rows: DuckDBValue[][]): Promise<number> {
    if (!this.stage) {
      await this.connection.run(
        `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} AS SELECT ${SPAN_COLUMNS.join(', ')} FROM inference_spans LIMIT 0`,
      );
      await this.connection.run(`DELETE FROM ${STAGE}`);
      this.stage = await this.connection.createAppender(STAGE);
    }
    const stage = this.stage;
    try {
      appendRows(stage, rows);
      stage.flushSync();
    } catch (error) {
      // An appender that failed cannot be reused: a fresh one and an emptied stage next time.
      discard(stage);
      this.stage = undefined;
      throw error;
    }
    // One statement, so atomic by itself (autocommit); the stage is emptied whatever happened.
    try {
      const result = await this.connection.run(
        `INSERT OR IGNORE INTO inference_spans (${SPAN_COLUMNS.join(', ')}) SELECT * FROM ${STAGE}`,
      );
      return Number(result.rowsChanged);
    } finally {
      await this.connection.run(`DELETE FROM ${STAGE}`).catch(() => {
        discard(this.stage);
        this.stage = undefined;
      });
    }
  }

  private async insert(table: string, columns: string[], rows: DuckDBValue[][]): Promise<number> {
    const perRow = columns.length;
    const rowsPerChunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
    const placeholders = columns.map((c) => (TIMESTAMP_COLUMNS.has(c) ? 'make_timestamp(?::BIGINT)' : '?')).join(', ');
    let added = 0;
    await this.connection.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < rows.length; i += rowsPerChunk) {
        const chunk = rows.slice(i, i + rowsPerChunk);
        const sql = `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${placeholders})`).join(', ')}`;
        const result = await this.connection.run(sql, chunk.flat());
        added += Number(result.rowsChanged);
      }
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return added;
  }
}

/** Which span column positions are TIMESTAMP (given as µs since the epoch). */
const SPAN_TIMESTAMP_AT = SPAN_COLUMNS.map((c) => TIMESTAMP_COLUMNS.has(c));

function appendRows(appender: DuckDBAppender, rows: readonly DuckDBValue[][]): void {
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) appendCell(appender, row[c] as DuckDBValue, SPAN_TIMESTAMP_AT[c] === true);
    appender.endRow();
  }
}

function discard(appender: DuckDBAppender | undefined): void {
  try {
    appender?.closeSync();
  } catch {
    // an appender that failed may fail again when closed; it is dropped either way
  }
}

function appendCell(appender: DuckDBAppender, value: DuckDBValue, timestamp: boolean): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (timestamp) appender.appendTimestamp(new DuckDBTimestampValue(value as bigint));
  else if (typeof value === 'string') appender.appendVarchar(value);
  else if (typeof value === 'bigint') appender.appendBigInt(value);
  else if (typeof value === 'number') appender.appendDouble(value);
  else if (typeof value === 'boolean') appender.appendBoolean(value);
  else appender.appendValue(value);
}

function big(value: number | null): bigint | null {
  return value === null || !Number.isSafeInteger(value) ? null : BigInt(value);
}

function finite(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

function nanosToMicros(nanos: string): bigint {
  return BigInt(nanos) / 1000n;
}

function spanValues(r: InferenceSpanRow, receivedAtMs: number): DuckDBValue[] {
  const start = BigInt(r.startTimeUnixNano);
  const end = BigInt(r.endTimeUnixNano);
  const durationMs = end > start ? Number(end - start) / 1e6 : 0;
  return [
    r.traceId,
    r.spanId,
    r.parentSpanId,
    nanosToMicros(r.startTimeUnixNano),
    nanosToMicros(r.endTimeUnixNano),
    start,
    durationMs,
    r.spanName,
    r.serviceName,
    r.operation,
    r.provider,
    r.requestModel,
    r.responseModel,
    r.feature,
    r.tenant,
    r.serviceTier,
    big(r.inputTokens),
    big(r.outputTokens),
    big(r.cacheReadTokens),
    big(r.cacheWriteTokens),
    big(r.cacheWrite1hTokens),
    big(r.reasoningTokens),
    big(r.inputAudioTokens),
    big(r.outputAudioTokens),
    big(r.webSearchRequests),
    r.pricingStatus,
    r.pricingReason,
    r.pricingProvider,
    r.pricingModel,
    r.pricingSource,
    r.pricingTier,
    r.costSource,
    r.currency,
    big(r.costNanos),
    big(r.costInputNanos),
    big(r.costOutputNanos),
    big(r.costCacheReadNanos),
    big(r.costCacheWriteNanos),
    big(r.costRequestNanos),
    big(r.costGpuNanos),
    big(r.costIdleNanos),
    big(r.costOverheadNanos),
    r.costNanos === null ? null : r.costNanos / 1e9,
    r.gpuNode,
    finite(r.gpuSeconds),
    finite(r.gpuConcurrency),
    r.allocationMethod,
    r.allocationFinal,
    BigInt(Math.trunc(receivedAtMs)) * 1000n,
  ];
}

function windowValues(r: NodeWindowRow): DuckDBValue[] {
  return [
    r.node,
    BigInt(r.windowStart) * 1000n,
    BigInt(r.windowEnd) * 1000n,
    r.currency,
    BigInt(r.nodeCostNanos),
    BigInt(r.directCostNanos),
    BigInt(r.idleCostNanos),
    BigInt(r.idleSharedCostNanos),
    BigInt(r.overheadCostNanos),
    r.nodeCostNanos / 1e9,
    r.busySeconds,
    r.utilization,
    BigInt(r.requests),
    r.method,
    r.idlePolicy,
  ];
}
