import type { DuckDBConnection } from '@duckdb/node-api';
import type { Adjustment, ReconcileRow } from './reconcile.js';
import { tableExists } from './store.js';

/** Adjustments written by `reconcile`, beside (never over) the collector's estimates. Amounts in nano-dollars. */
export const ADJUSTMENTS_TABLE = 'costspan_adjustments';
/** The comparison rows of each reconciliation, for reports and the HTML variance chart. */
export const RECONCILIATIONS_TABLE = 'costspan_reconciliations';

const CREATE = [
  `CREATE TABLE IF NOT EXISTS ${ADJUSTMENTS_TABLE} (
    period VARCHAR NOT NULL, invoice_hash VARCHAR NOT NULL, invoice_format VARCHAR NOT NULL, scope VARCHAR NOT NULL,
    cost_column VARCHAR, day VARCHAR NOT NULL, provider VARCHAR, model VARCHAR, node VARCHAR,
    trace_id VARCHAR, span_id VARCHAR, window_start_ms BIGINT, amount_nanos BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${RECONCILIATIONS_TABLE} (
    period VARCHAR NOT NULL, invoice_hash VARCHAR NOT NULL, invoice_format VARCHAR NOT NULL, scope VARCHAR NOT NULL,
    day VARCHAR NOT NULL, provider VARCHAR, model VARCHAR, node VARCHAR, estimate_nanos BIGINT NOT NULL,
    actual_nanos BIGINT NOT NULL, variance_nanos BIGINT NOT NULL, k DOUBLE, flagged BOOLEAN NOT NULL,
    causes VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL)`,
];

export interface AdjustmentBatch {
  period: string;
  /** sha256 of the invoice file's bytes (plus the cost column). */
  invoiceHash: string;
  invoiceFormat: string;
  /** The providers and nodes the invoice covers, sorted: a re-issued invoice of the same scope replaces the old one. */
  scope: string;
  costColumn: string | null;
  rows: readonly ReconcileRow[];
  adjustments: readonly Adjustment[];
  /** A query of per-span adjustments (day, provider, model, trace_id, span_id, amount), run inside the engine. */
  spanAdjustments: string | null;
  now: number;
}

/**
 * Replaces, in one transaction, the adjustments of this period that came from the same invoice (same content hash,
 * or same format and scope — a corrected re-issue) with the new ones. Running it twice leaves the same rows.
 * Resolves to the number of adjustment rows written.
 */
export async function writeAdjustments(connection: DuckDBConnection, batch: AdjustmentBatch): Promise<number> {
  for (const sql of CREATE) await connection.run(sql);
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const table of [ADJUSTMENTS_TABLE, RECONCILIATIONS_TABLE]) {
      await connection.run(
        `DELETE FROM ${table} WHERE period = $1 AND (invoice_hash = $2 OR (invoice_format = $3 AND scope = $4))`,
        [batch.period, batch.invoiceHash, batch.invoiceFormat, batch.scope],
      );
    }
    const adjustments = await connection.createAppender(ADJUSTMENTS_TABLE);
    for (const a of batch.adjustments) {
      adjustments.appendVarchar(batch.period);
      adjustments.appendVarchar(batch.invoiceHash);
      adjustments.appendVarchar(batch.invoiceFormat);
      adjustments.appendVarchar(batch.scope);
      appendText(adjustments, batch.costColumn);
      adjustments.appendVarchar(a.day);
      appendText(adjustments, a.provider);
      appendText(adjustments, a.model);
      appendText(adjustments, a.node);
      appendText(adjustments, a.traceId);
      appendText(adjustments, a.spanId);
      if (a.windowStart === null) adjustments.appendNull();
      else adjustments.appendBigInt(BigInt(a.windowStart));
      adjustments.appendBigInt(a.amount);
      adjustments.appendBigInt(BigInt(batch.now));
      adjustments.endRow();
    }
    adjustments.closeSync();
    let written = batch.adjustments.length;
    if (batch.spanAdjustments !== null) {
      const text = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
      const inserted = await connection.run(
        `INSERT INTO ${ADJUSTMENTS_TABLE}
         SELECT ${text(batch.period)}, ${text(batch.invoiceHash)}, ${text(batch.invoiceFormat)}, ${text(batch.scope)},
           ${text(batch.costColumn)}, day, provider, model, NULL, trace_id, span_id, NULL, amount, ${BigInt(batch.now)}
         FROM (${batch.spanAdjustments}) a`,
      );
      written += Number(inserted.rowsChanged);
    }
    const rows = await connection.createAppender(RECONCILIATIONS_TABLE);
    for (const r of batch.rows) {
      rows.appendVarchar(batch.period);
      rows.appendVarchar(batch.invoiceHash);
      rows.appendVarchar(batch.invoiceFormat);
      rows.appendVarchar(batch.scope);
      rows.appendVarchar(r.day);
      appendText(rows, r.provider);
      appendText(rows, r.model);
      appendText(rows, r.node);
      rows.appendBigInt(r.estimate);
      rows.appendBigInt(r.actual);
      rows.appendBigInt(r.variance);
      if (r.k === null) rows.appendNull();
      else rows.appendDouble(r.k);
      rows.appendBoolean(r.flagged);
      rows.appendVarchar(r.causes.join('; '));
      rows.appendBigInt(BigInt(batch.now));
      rows.endRow();
    }
    rows.closeSync();
    await connection.run('COMMIT');
    return written;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

function appendText(appender: { appendVarchar(v: string): void; appendNull(): void }, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

export interface StoredVariance {
  period: string;
  day: string;
  label: string;
  estimate: bigint;
  actual: bigint;
  variance: bigint;
  k: number | null;
  flagged: boolean;
}

/** The latest reconciliation rows whose day falls in [fromDay, toDay], for reports. */
export async function readReconciliations(
  connection: DuckDBConnection,
  fromDay: string,
  toDay: string,
): Promise<StoredVariance[]> {
  if (!(await tableExists(connection, RECONCILIATIONS_TABLE))) return [];
  const reader = await connection.runAndReadAll(
    `SELECT period, day, provider, model, node, estimate_nanos, actual_nanos, variance_nanos, k, flagged
     FROM ${RECONCILIATIONS_TABLE} WHERE day >= $1 AND day <= $2 ORDER BY day, provider, model, node`,
    [fromDay, toDay],
  );
  return reader.getRowObjects().map((row) => ({
    period: String(row.period),
    day: String(row.day),
    label: row.node !== null ? `node ${row.node}` : `${row.provider ?? '?'}/${row.model ?? '*'}`,
    estimate: row.estimate_nanos as bigint,
    actual: row.actual_nanos as bigint,
    variance: row.variance_nanos as bigint,
    k: row.k === null ? null : Number(row.k),
    flagged: Boolean(row.flagged),
  }));
}
