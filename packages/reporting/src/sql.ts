/** Small helpers shared by the report queries: literals, dimension expressions and reading result values. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { NONE } from './dimension-value.js';
import type { Dimension } from './types.js';

/** A SQL string literal (standard quoting: DuckDB has no backslash escapes). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL integer literal from a safe integer or a bigint. */
export function sqlInt(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return String(value);
}

/**
 * The label of a span row (from spansSql, or a cost part of component-split.ts) on one dimension; a missing value
 * reads "(none)". Only cost parts have a `component`.
 */
export function dimensionSql(dimension: Dimension): string {
  switch (dimension) {
    case 'day':
      return "strftime(ts, '%Y-%m-%d')";
    case 'feature':
    case 'tenant':
    case 'model':
    case 'provider':
    case 'node':
    case 'service':
    case 'component':
      return `coalesce(${dimension}, ${sqlString(NONE)})`;
  }
}

/** The order spans were always read in: first appearance of a group is its smallest such key. */
export const ROW_ORDER = "{'t': time_ms, 'a': trace_id, 'b': span_id}";

export async function queryObjects(
  connection: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[],
): Promise<Record<string, DuckDBValue>[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjects();
}

export function big(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.round(value));
  return BigInt(String(value));
}

export function bigOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : big(value);
}

export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
