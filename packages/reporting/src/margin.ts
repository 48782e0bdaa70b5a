import { readFile } from 'node:fs/promises';
import { parseCsv } from './csv.js';
import { NONE } from './dimension-value.js';
import { MoneyParseError, parseDecimalToUnits, ratio } from './money.js';
import type { InvoiceIssue, RequestRecord } from './types.js';

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
      entries.push({ line: row.line, traceId, feature, tenant, tier, amount: parseDecimalToUnits(String(raw)) });
    } catch (error) {
      issues.push({ line: row.line, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { entries, issues };
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Margin per feature and per tenant: revenue − cost, unprofitable when negative. */
export function computeMargin(records: readonly RequestRecord[], revenue: readonly RevenueEntry[]): MarginResult {
  const feature = new Map<string, { revenue: bigint; cost: bigint }>();
  const tenant = new Map<string, { revenue: bigint; cost: bigint }>();
  const add = (map: Map<string, { revenue: bigint; cost: bigint }>, key: string, rev: bigint, cost: bigint) => {
    const entry = map.get(key) ?? { revenue: 0n, cost: 0n };
    entry.revenue += rev;
    entry.cost += cost;
    map.set(key, entry);
  };
  const traceLabels = new Map<string, { feature: string; tenant: string }>();
  for (const r of records) {
    const f = r.feature ?? NONE;
    const t = r.tenant ?? NONE;
    if (!traceLabels.has(r.traceId)) traceLabels.set(r.traceId, { feature: f, tenant: t });
    add(feature, f, 0n, r.cost ?? 0n);
    add(tenant, t, 0n, r.cost ?? 0n);
  }
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
