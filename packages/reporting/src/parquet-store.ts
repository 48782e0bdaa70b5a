/**
 * The store as hive-partitioned Parquet (`inference_spans/day=YYYY-MM-DD/node=N/*.parquet`,
 * `gpu_node_windows/day=…/node=…/*.parquet`, and from store schema 2 `component_spans/day=…/*.parquet` and
 * `resource_windows/day=…/resource=…/*.parquet`), the layout DuckDB, ClickHouse, Spark, Trino and Athena read as is.
 * Several collectors (one per group of GPU nodes) export into one directory; reports read it through views named
 * like the store's tables, so every report query is the same SQL on a file or on Parquet. This module is the only
 * place that knows the difference.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from './sql.js';
import { type Store, StoreError, tableExists } from './store.js';
import { COMPONENT_SPANS_TABLE, NODE_WINDOWS_TABLE, RESOURCE_WINDOWS_TABLE, SPANS_TABLE } from './store-schema.js';

/** What the partition `node` of a span not served by a GPU node reads. */
export const API_NODE = 'api';

/**
 * Per table: the partition columns it adds to its rows (node windows have their own `node`, resource windows
 * their own `resource`) and the columns it is partitioned by.
 */
const PARTITIONS: Record<string, { add: string; by: string }> = {
  [SPANS_TABLE]: {
    add: `strftime(start_time, '%Y-%m-%d') AS day, coalesce(gpu_node, ${sqlString(API_NODE)}) AS node`,
    by: 'day, node',
  },
  [NODE_WINDOWS_TABLE]: { add: "strftime(window_start, '%Y-%m-%d') AS day", by: 'day, node' },
  [COMPONENT_SPANS_TABLE]: { add: "strftime(start_time, '%Y-%m-%d') AS day", by: 'day' },
  [RESOURCE_WINDOWS_TABLE]: { add: "strftime(window_start, '%Y-%m-%d') AS day", by: 'day, resource' },
};

const TABLES = [SPANS_TABLE, NODE_WINDOWS_TABLE, COMPONENT_SPANS_TABLE, RESOURCE_WINDOWS_TABLE];

function hasParquet(dir: string): boolean {
  try {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.parquet')) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Opens a Parquet store directory for reading: an in-memory engine with one view per table over its files. The
 * partition columns (`day`, `node`) are read as text; spans keep their `gpu_node` column.
 */
export async function openParquetStore(dir: string): Promise<Store> {
  const root = resolve(dir);
  try {
    if (!statSync(root).isDirectory()) throw new StoreError(`${dir} is not a directory`);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Parquet store not found: ${dir}`);
  }
  if (!hasParquet(join(root, SPANS_TABLE))) {
    throw new StoreError(`not a costspan Parquet store: no ${SPANS_TABLE}/**/*.parquet under ${dir}`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of TABLES) {
    if (!hasParquet(join(root, table))) continue;
    const files = sqlString(join(root, table, '**', '*.parquet'));
    await connection.run(
      `CREATE VIEW ${table} AS SELECT * FROM read_parquet(${files}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
    );
  }
  return {
    path: dir,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Writes the store's tables (spans, node windows, and with schema 2 the priced non-model spans and the resource
 * windows) into `dir` as hive-partitioned Parquet by day (and node or resource), in new files
 * (a unique name per export), so several collectors can export into one directory. Resolves to rows per table.
 */
export async function exportParquet(connection: DuckDBConnection, dir: string): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const table of TABLES) {
    if (!(await tableExists(connection, table))) continue;
    const target = join(resolve(dir), table);
    mkdirSync(target, { recursive: true });
    const { add, by } = PARTITIONS[table]!;
    const result = await connection.run(
      `COPY (SELECT *, ${add} FROM ${table}) TO ${sqlString(target)}
       (FORMAT PARQUET, PARTITION_BY (${by}), FILENAME_PATTERN 'export-{uuid}', APPEND)`,
    );
    written[table] = Number(result.rowsChanged);
  }
  return written;
}
