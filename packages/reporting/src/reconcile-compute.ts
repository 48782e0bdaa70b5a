import type { DuckDBConnection } from '@duckdb/node-api';
import { writeAdjustments } from './adjustments-store.js';
import type { Period } from './period.js';
import { type ReconcileResult, reconcile } from './reconcile.js';
import { queryRequestGroups, spreadSql } from './reconcile-sql.js';
import { storeSource } from './report-source.js';
import { readNodeWindows } from './store-read.js';
import type { InvoiceLine } from './types.js';

/** One reconciliation, independent of where the store is (a file here, or a running collector). */
export interface ReconcileRequest {
  period: Period;
  /** The invoice lines of the period. */
  lines: InvoiceLine[];
  threshold: number;
  /** Compare only; write nothing. */
  dryRun: boolean;
  invoiceHash: string;
  invoiceFormat: string;
  scope: string;
  costColumn: string | null;
}

export interface ReconcileAnswer {
  result: ReconcileResult;
  /** Adjustment rows written beside the estimates (0 on a dry run). */
  written: number;
}

/** Compares the invoice lines with the store's estimates in the engine and writes the adjustments unless dry. */
export async function computeReconcile(
  connection: DuckDBConnection,
  request: ReconcileRequest,
): Promise<ReconcileAnswer> {
  const source = await storeSource(connection);
  const range = { from: request.period.from, to: request.period.to };
  const groups = await queryRequestGroups(source, range);
  const windows = await readNodeWindows(source, range);
  const result = reconcile(request.lines, groups, windows, request.threshold);
  if (request.dryRun) return { result, written: 0 };
  const written = await writeAdjustments(connection, {
    period: request.period.label,
    invoiceHash: request.invoiceHash,
    invoiceFormat: request.invoiceFormat,
    scope: request.scope,
    costColumn: request.costColumn,
    rows: result.rows,
    adjustments: result.adjustments,
    spanAdjustments: spreadSql(source, range, result.spreads),
    now: Date.now(),
  });
  return { result, written };
}
