import { stat } from 'node:fs/promises';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A store problem the user can act on (missing file, locked file, not a costspan store). */
export class StoreError extends Error {}

export interface Store {
  path: string;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens the collector's DuckDB file. Read-only unless `write` (reconcile writes its adjustment table). DuckDB lets
 * one process hold a file for writing: while a collector runs on the file, ask it instead (`--collector URL`).
 */
export async function openStore(path: string, options: { write?: boolean } = {}): Promise<Store> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new StoreError(`store ${path} is not a file`);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`store not found: ${path} (start the collector with --store ${path} to create it)`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: options.write ? 'READ_WRITE' : 'READ_ONLY' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new StoreError(
        `store ${path} is in use by another process (a running collector? report through it with --collector URL): ${firstLine(message)}`,
      );
    }
    throw new StoreError(`cannot open store ${path}: ${firstLine(message)}`);
  }
  const connection = await instance.connect();
  return {
    path,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export async function tableExists(connection: DuckDBConnection, table: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    'SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $1',
    [table],
  );
  const row = reader.getRowObjects()[0];
  return Number(row?.n ?? 0) > 0;
}
