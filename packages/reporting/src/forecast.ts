import type { DuckDBConnection } from '@duckdb/node-api';
import { NONE } from './dimension-value.js';
import { dayStart, exceedsOn, HISTORY_DAYS, type MonthProjection, projectMonth } from './forecast-model.js';

const DAY_MS = 86_400_000;

export type ForecastDimension = 'feature' | 'tenant';

/** A monthly budget to set beside a projection (the `budgets` section, `window: month`). */
export interface ForecastBudget {
  name: string;
  tenant?: string;
  feature?: string;
  limitNanos: bigint;
}

export interface ForecastRow {
  /** The feature or tenant; null for the total line. */
  group: string | null;
  projection: MonthProjection;
  budget?: { name: string; limitNanos: bigint; exceedsOn: number | null; exceeded: boolean };
}

export interface ForecastResult {
  by: ForecastDimension;
  monthStart: number;
  monthEnd: number;
  asOf: number;
  rows: ForecastRow[];
  total: ForecastRow;
}

/**
 * Daily spend per feature or tenant from `inference_spans`, summed by DuckDB (exact HUGEINT nano-dollars): one row
 * per group and UTC day of the span's end (as the budgets count it), for [from, to).
 */
export async function readDailySpend(
  connection: DuckDBConnection,
  by: ForecastDimension,
  from: number,
  to: number,
): Promise<Map<string, Map<number, bigint>>> {
  const column = by === 'feature' ? 'feature' : 'tenant';
  const reader = await connection.runAndReadAll(
    `SELECT coalesce(${column}, $3) AS grp, epoch_ms(date_trunc('day', end_time)) AS day,
            CAST(sum(cost_nanos) AS VARCHAR) AS nanos
     FROM inference_spans
     WHERE cost_nanos IS NOT NULL AND end_time >= make_timestamp($1::BIGINT) AND end_time < make_timestamp($2::BIGINT)
     GROUP BY ALL ORDER BY grp, day`,
    [BigInt(from) * 1000n, BigInt(to) * 1000n, NONE],
  );
  const out = new Map<string, Map<number, bigint>>();
  for (const row of reader.getRowObjectsJS()) {
    const group = String(row.grp);
    let days = out.get(group);
    if (!days) {
      days = new Map();
      out.set(group, days);
    }
    days.set(Number(row.day), BigInt(String(row.nanos)));
  }
  return out;
}

/**
 * Projects the month-end spend of every feature (or tenant) and of the total, as of `asOf` (spend after it is not
 * read, so a past instant backtests the model on a complete store), beside the monthly budget that matches each.
 */
export async function forecastMonth(
  connection: DuckDBConnection,
  options: {
    by: ForecastDimension;
    monthStart: number;
    monthEnd: number;
    asOf: number;
    budgets?: readonly ForecastBudget[];
  },
): Promise<ForecastResult> {
  const { by, monthStart, monthEnd } = options;
  const asOf = Math.min(options.asOf, monthEnd);
  const from = Math.min(monthStart, dayStart(asOf) - HISTORY_DAYS * DAY_MS);
  const groups = await readDailySpend(connection, by, from, asOf);
  const total = new Map<number, bigint>();
  const rows: ForecastRow[] = [];
  const budgets = options.budgets ?? [];
  const beside = (row: ForecastRow, budget: ForecastBudget | undefined): ForecastRow => {
    if (!budget) return row;
    const exceeded = row.projection.monthToDateNanos >= budget.limitNanos;
    return {
      ...row,
      budget: {
        name: budget.name,
        limitNanos: budget.limitNanos,
        exceeded,
        exceedsOn: exceeded ? null : exceedsOn(row.projection, budget.limitNanos),
      },
    };
  };
  for (const [group, daily] of groups) {
    for (const [day, nanos] of daily) total.set(day, (total.get(day) ?? 0n) + nanos);
    const projection = projectMonth(daily, monthStart, monthEnd, asOf);
    const budget = budgets.find((b) =>
      by === 'feature' ? b.feature === group && b.tenant === undefined : b.tenant === group && b.feature === undefined,
    );
    rows.push(beside({ group, projection }, budget));
  }
  rows.sort((a, b) => (b.projection.projectedNanos > a.projection.projectedNanos ? 1 : -1));
  const overall = budgets.find((b) => b.tenant === undefined && b.feature === undefined);
  return {
    by,
    monthStart,
    monthEnd,
    asOf,
    rows,
    total: beside({ group: null, projection: projectMonth(total, monthStart, monthEnd, asOf) }, overall),
  };
}
