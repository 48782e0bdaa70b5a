import { readFile } from 'node:fs/promises';
import { MoneyParseError, parseDecimalToNanos, ratio } from '@costspan/pricing';
import { parseCsv } from './csv.js';
import { NONE } from './dimension-value.js';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, queryObjects, sqlString } from './sql.js';
import { spansSql } from './store-schema.js';
import type { InvoiceIssue } from './types.js';

/** Revenue for one request (trace id), or for a tenant and/or feature. Amount in nano-dollars. */
export interface RevenueEntry {
  line: number;
  traceId: string | null;
  feature: string | null;
  tenant: string | null;
  /** The tenant's pricing tier (optional `tier` column), for price floors per tier. */
  tier?: string | null;
  amount: bigint;
}

export interface MarginRow {
  key: string;
  revenue: bigint;
  cost: bigint;
  margin: bigint;
  /** margin / revenue; null without revenue. */
  marginShare: number | null;
  unprofitable: boolean;
}

export interface MarginResult {
  byFeature: MarginRow[];
  byTenant: MarginRow[];
}

/**
 * Reads revenue from CSV (header row) or JSON (an array of objects). Columns / keys: `revenue` (USD, decimal) and
 * one or more of `trace_id` (revenue of that request), `feature`, `tenant`.
 */
export async function readRevenue(path: string): Promise<{ entries: RevenueEntry[]; issues: InvoiceIssue[] }> {
  const text = await readFile(path, 'utf8');
  const trimmed = text.trimStart();
  const rows: { line: number; get(name: string): unknown }[] = [];
  const issues: InvoiceIssue[] = [];
  if (trimmed.startsWith('[')) {
    const { parseJsonWithLines } = await import('./json-with-lines.js');
    const { value, info } = parseJsonWithLines(text);
    for (const item of value as unknown[]) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        issues.push({ line: 1, message: 'each revenue entry must be an object' });
        continue;
      }
      const objectInfo = info.get(item);
      const record = item as Record<string, unknown>;
      rows.push({
        line: objectInfo?.line ?? 1,
        get: (name) => objectInfo?.rawNumbers.get(name) ?? record[name] ?? record[camel(name)],
      });
    }
  } else {
    const records = parseCsv(text);
    const header = records[0]?.fields.map((f) => f.trim()) ?? [];
    for (const record of records.slice(1)) {
      rows.push({ line: record.line, get: (name) => record.fields[header.indexOf(name)] });
    }
  }
  const entries: RevenueEntry[] = [];
  for (const row of rows) {
    const text = (name: string) => {
      const v = row.get(name);
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
    };
    const traceId = text('trace_id');
    const feature = text('feature');
    const tenant = text('tenant');
    const raw = row.get('revenue');
    try {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new MoneyParseError('revenue is missing');
      if (traceId === null && feature === null && tenant === null) {
        throw new MoneyParseError('needs trace_id, feature or tenant');
      }
      const tier = text('tier');
      entries.push({ line: row.line, traceId, feature, tenant, tier, amount: parseDecimalToNanos(String(raw)) });
    } catch (error) {
      issues.push({ line: row.line, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { entries, issues };
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Margin per feature and per tenant over the spans of the range: revenue − cost, unprofitable when negative.
 * Costs are summed in the engine; revenue given per trace id is attributed to the feature and tenant of the
 * trace's first span, looked up in the engine for just the traces the revenue file names.
 */
export async function queryMargin(
  source: ReportSource,
  range: TimeRange,
  revenue: readonly RevenueEntry[],
): Promise<MarginResult> {
  const spans = spansSql(source.spans, range);
  const costs = await queryObjects(
    source.connection,
    `SELECT coalesce(feature, ${sqlString(NONE)}) AS f, coalesce(tenant, ${sqlString(NONE)}) AS t,
       grouping(f) <> 0 AS by_tenant, coalesce(sum(cost) FILTER (WHERE priced), 0) AS cost
     FROM (${spans}) s GROUP BY GROUPING SETS ((f), (t))`,
  );
  const feature = new Map<string, { revenue: bigint; cost: bigint }>();
  const tenant = new Map<string, { revenue: bigint; cost: bigint }>();
  const add = (map: Map<string, { revenue: bigint; cost: bigint }>, key: string, rev: bigint, cost: bigint) => {
    const entry = map.get(key) ?? { revenue: 0n, cost: 0n };
    entry.revenue += rev;
    entry.cost += cost;
    map.set(key, entry);
  };
  for (const row of costs) {
    if (row.by_tenant) add(tenant, String(row.t), 0n, big(row.cost));
    else add(feature, String(row.f), 0n, big(row.cost));
  }
  const traceLabels = await labelsOfTraces(source, spans, revenue);
  for (const entry of revenue) {
    if (entry.traceId !== null) {
      const labels = traceLabels.get(entry.traceId);
      if (!labels) continue;
      add(feature, labels.feature, entry.amount, 0n);
      add(tenant, labels.tenant, entry.amount, 0n);
      continue;
    }
    if (entry.feature !== null) add(feature, entry.feature, entry.amount, 0n);
    if (entry.tenant !== null) add(tenant, entry.tenant, entry.amount, 0n);
  }
  const rows = (map: Map<string, { revenue: bigint; cost: bigint }>) =>
    [...map.entries()]
      .map(([key, v]) => {
        const margin = v.revenue - v.cost;
        return {
          key,
          revenue: v.revenue,
          cost: v.cost,
          margin,
          marginShare: ratio(margin, v.revenue),
          unprofitable: margin < 0n,
        };
      })
      .sort((a, b) => (a.margin === b.margin ? a.key.localeCompare(b.key) : a.margin < b.margin ? -1 : 1));
  return { byFeature: rows(feature), byTenant: rows(tenant) };
}

/** Feature and tenant of the first span of each trace the revenue names. */
async function labelsOfTraces(
  source: ReportSource,
  spans: string,
  revenue: readonly RevenueEntry[],
): Promise<Map<string, { feature: string; tenant: string }>> {
  const ids = [...new Set(revenue.map((e) => e.traceId).filter((id): id is string => id !== null))];
  const labels = new Map<string, { feature: string; tenant: string }>();
  if (ids.length === 0) return labels;
  const table = `costspan_revenue_traces_${process.pid}_${Date.now()}`;
  await source.connection.run(`CREATE TEMP TABLE ${table} (trace_id VARCHAR)`);
  try {
    const appender = await source.connection.createAppender(table, 'main', 'temp');
    for (const id of ids) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.closeSync();
    const rows = await queryObjects(
      source.connection,
      `SELECT s.trace_id, first(coalesce(feature, ${sqlString(NONE)}) ORDER BY time_ms, span_id) AS f,
         first(coalesce(tenant, ${sqlString(NONE)}) ORDER BY time_ms, span_id) AS t
       FROM (${spans}) s SEMI JOIN ${table} r ON s.trace_id = r.trace_id GROUP BY s.trace_id`,
    );
    for (const row of rows) labels.set(String(row.trace_id), { feature: String(row.f), tenant: String(row.t) });
  } finally {
    await source.connection.run(`DROP TABLE IF EXISTS temp.${table}`);
  }
  return labels;
}
