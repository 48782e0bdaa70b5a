import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, num, queryObjects } from './sql.js';
import { tableExists } from './store.js';
import { NODE_WINDOWS_TABLE, spansSql, windowsSql } from './store-schema.js';
import type { NodeWindowRecord, TokenProfile } from './types.js';

/**
 * GPU node windows that started in the range, by node and time. One row per node and window (a minute or so):
 * their number follows the nodes and the length of the range, never the number of requests.
 */
export async function readNodeWindows(source: ReportSource, range: TimeRange): Promise<NodeWindowRecord[]> {
  if (source.windows === null) return [];
  const rows = await queryObjects(source.connection, `${windowsSql(source.windows, range)} ORDER BY node, start_ms`);
  return rows.map((row) => ({
    node: String(row.node),
    start: num(row.start_ms),
    end: num(row.end_ms),
    nodeCost: big(row.node_cost),
    directCost: big(row.direct_cost),
    idleCost: big(row.idle_cost),
    idleSharedCost: big(row.idle_shared_cost),
    overheadCost: big(row.overhead_cost),
    busySeconds: num(row.busy_seconds),
    requests: num(row.requests),
  }));
}

/** Names of GPU nodes the store knows. */
export async function readNodeNames(connection: DuckDBConnection): Promise<Set<string>> {
  const names = new Set<string>();
  if (await tableExists(connection, NODE_WINDOWS_TABLE)) {
    const rows = await queryObjects(connection, `SELECT DISTINCT node FROM ${NODE_WINDOWS_TABLE}`);
    for (const row of rows) if (row.node !== null) names.add(String(row.node));
  }
  return names;
}

/** The mean token profile (rounded to whole tokens) of the spans a node served in the range; null when none. */
export async function queryNodeProfile(
  source: ReportSource,
  range: TimeRange,
  node: string,
): Promise<TokenProfile | null> {
  const [row] = await queryObjects(
    source.connection,
    `SELECT count(*) AS n, sum(input_tokens) AS i, sum(cache_read_tokens) AS c, sum(output_tokens) AS o
     FROM (${spansSql(source.spans, range)}) s WHERE node = $1`,
    [node],
  );
  const n = num(row?.n);
  if (n === 0) return null;
  return {
    inputTokens: Math.round(num(row!.i) / n),
    cachedTokens: Math.round(num(row!.c) / n),
    outputTokens: Math.round(num(row!.o) / n),
  };
}
