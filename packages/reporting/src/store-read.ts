import type { DuckDBConnection } from '@duckdb/node-api';
import { StoreError, tableExists } from './store.js';
import { NODE_WINDOWS_TABLE, SELECT_NODE_WINDOWS, SELECT_REQUESTS, SPANS_TABLE } from './store-schema.js';
import type { NodeWindowRecord, RequestRecord } from './types.js';

export interface TimeRange {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

export type ProgressCallback = (done: number, total: number) => void;

async function requireSpans(connection: DuckDBConnection): Promise<void> {
  if (!(await tableExists(connection, SPANS_TABLE))) {
    throw new StoreError(`not a costspan store: table ${SPANS_TABLE} is missing`);
  }
}

/** The first and last span time in the store (epoch ms), or null when it holds no spans. */
export async function storeTimeBounds(connection: DuckDBConnection): Promise<TimeRange | null> {
  await requireSpans(connection);
  const reader = await connection.runAndReadAll(
    `SELECT min(time_ms) AS lo, max(time_ms) AS hi FROM (${SELECT_REQUESTS}) s`,
    [0, Number.MAX_SAFE_INTEGER],
  );
  const row = reader.getRowObjects()[0];
  if (!row || row.lo === null || row.hi === null) return null;
  return { from: Number(row.lo), to: Number(row.hi) + 1 };
}

const CHUNK = 2048;

/** Priced inference spans that started in the range, oldest first. */
export async function readRequests(
  connection: DuckDBConnection,
  range: TimeRange,
  onProgress?: ProgressCallback,
): Promise<RequestRecord[]> {
  await requireSpans(connection);
  const countReader = await connection.runAndReadAll(`SELECT count(*) AS n FROM (${SELECT_REQUESTS}) s`, [
    range.from,
    range.to,
  ]);
  const total = Number(countReader.getRowObjects()[0]?.n ?? 0);
  const result = await connection.stream(`${SELECT_REQUESTS} ORDER BY time_ms, trace_id, span_id`, [
    range.from,
    range.to,
  ]);
  const records: RequestRecord[] = [];
  const names = result.deduplicatedColumnNames();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const values of chunk.getRows()) {
      const row: Record<string, unknown> = {};
      names.forEach((name, i) => {
        row[name] = values[i];
      });
      records.push(toRequest(row));
    }
    if (onProgress && records.length % (CHUNK * 8) < chunk.rowCount) onProgress(records.length, total);
  }
  onProgress?.(records.length, total);
  return records;
}

/** GPU node windows that started in the range. */
export async function readNodeWindows(connection: DuckDBConnection, range: TimeRange): Promise<NodeWindowRecord[]> {
  if (!(await tableExists(connection, NODE_WINDOWS_TABLE))) return [];
  const reader = await connection.runAndReadAll(`${SELECT_NODE_WINDOWS} ORDER BY node, start_ms`, [
    range.from,
    range.to,
  ]);
  return reader.getRowObjects().map((row) => ({
    node: String(row.node),
    start: Number(row.start_ms),
    end: Number(row.end_ms),
    nodeCost: big(row.node_cost),
    directCost: big(row.direct_cost),
    idleCost: big(row.idle_cost),
    idleSharedCost: big(row.idle_shared_cost),
    overheadCost: big(row.overhead_cost),
    busySeconds: Number(row.busy_seconds ?? 0),
    requests: Number(row.requests ?? 0),
  }));
}

/** Names of GPU nodes the store knows. */
export async function readNodeNames(connection: DuckDBConnection): Promise<Set<string>> {
  const names = new Set<string>();
  if (await tableExists(connection, NODE_WINDOWS_TABLE)) {
    const reader = await connection.runAndReadAll(`SELECT DISTINCT node FROM (${SELECT_NODE_WINDOWS}) w`, [
      0,
      Number.MAX_SAFE_INTEGER,
    ]);
    for (const row of reader.getRowObjects()) if (row.node !== null) names.add(String(row.node));
  }
  return names;
}

function big(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.round(value));
  return BigInt(String(value));
}

function str(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value);
}

function toRequest(row: Record<string, unknown>): RequestRecord {
  const status = str(row.pricing_status) ?? 'unpriced';
  const cost = row.cost === null || row.cost === undefined || status === 'unpriced' ? null : big(row.cost);
  return {
    time: Number(row.time_ms),
    traceId: String(row.trace_id ?? ''),
    spanId: String(row.span_id ?? ''),
    service: str(row.service),
    provider: str(row.provider),
    model: str(row.model),
    pricedModel: str(row.priced_model),
    feature: str(row.feature),
    tenant: str(row.tenant),
    node: str(row.node),
    serviceTier: str(row.service_tier),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    cacheReadTokens: Number(row.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
    cacheWrite1hTokens: Number(row.cache_write_1h_tokens ?? 0),
    reasoningTokens: Number(row.reasoning_tokens ?? 0),
    pricingStatus: status,
    cost,
    components: {
      input: big(row.cost_input),
      output: big(row.cost_output),
      cacheRead: big(row.cost_cache_read),
      cacheWrite: big(row.cost_cache_write),
      request: big(row.cost_request),
      gpu: big(row.cost_gpu),
      idle: big(row.cost_idle),
      overhead: big(row.cost_overhead),
    },
  };
}
