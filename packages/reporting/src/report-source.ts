import type { DuckDBConnection } from '@duckdb/node-api';
import { type Store, StoreError, tableExists } from './store.js';
import { NODE_WINDOWS_TABLE, SPANS_TABLE } from './store-schema.js';

export interface TimeRange {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

/**
 * Where report queries read from: a DuckDB connection and the relations (SQL text usable after FROM) holding the
 * collector's span rows and node-window rows, or null where there are none. Every report is one set of queries
 * over these two relations; only this module knows whether they are tables of a store file or something else.
 */
export interface ReportSource {
  connection: DuckDBConnection;
  spans: string;
  windows: string | null;
}

/** The tables of a collector store opened with openStore (or a collector's own connection). */
export async function storeSource(connection: DuckDBConnection): Promise<ReportSource> {
  if (!(await tableExists(connection, SPANS_TABLE))) {
    throw new StoreError(`not a costspan store: table ${SPANS_TABLE} is missing`);
  }
  return {
    connection,
    spans: SPANS_TABLE,
    windows: (await tableExists(connection, NODE_WINDOWS_TABLE)) ? NODE_WINDOWS_TABLE : null,
  };
}

export function sourceOfStore(store: Store): Promise<ReportSource> {
  return storeSource(store.connection);
}
