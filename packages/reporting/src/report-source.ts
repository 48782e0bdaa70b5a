import type { DuckDBConnection } from '@duckdb/node-api';
import { type Store, StoreError, tableExists } from './store.js';
import { COMPONENT_SPANS_TABLE, NODE_WINDOWS_TABLE, RESOURCE_WINDOWS_TABLE, SPANS_TABLE } from './store-schema.js';

export interface TimeRange {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

/**
 * Where report queries read from: a DuckDB connection and the relations (SQL text usable after FROM) holding the
 * collector's span rows, node-window rows, priced non-model span rows and shared-resource window rows, or null
 * (or absent) where there are none. Every report is one set of queries over these relations; only this module
 * knows whether they are tables of a store file or something else.
 */
export interface ReportSource {
  connection: DuckDBConnection;
  spans: string;
  windows: string | null;
  /** Non-model spans priced by a cost rule or a shared resource (store schema 2); absent = none. */
  components?: string | null;
  /** Windows of the shared resources of `resources:` (store schema 2); absent = none. */
  resourceWindows?: string | null;
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
    components: (await tableExists(connection, COMPONENT_SPANS_TABLE)) ? COMPONENT_SPANS_TABLE : null,
    resourceWindows: (await tableExists(connection, RESOURCE_WINDOWS_TABLE)) ? RESOURCE_WINDOWS_TABLE : null,
  };
}

export function sourceOfStore(store: Store): Promise<ReportSource> {
  return storeSource(store.connection);
}
