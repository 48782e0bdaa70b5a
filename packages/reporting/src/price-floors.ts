/**
 * Price floors and tier profitability, computed by DuckDB over `inference_spans` and the revenue file (loaded into
 * a temporary table): per feature and per tenant tier, the cost per request (mean and p95), the floor price
 * = cost per request × (1 + target margin), how many of the tenants using it pay less per request than the floor,
 * and the what-if of a usage cap per tenant on the tier's margin. Money stays exact (HUGEINT nano-dollars).
 */

import { divRound } from '@costspan/pricing';
import type { DuckDBConnection } from '@duckdb/node-api';
import { NONE } from './dimension-value.js';
import { InputError } from './input-error.js';
import type { RevenueEntry } from './margin.js';
import type { ReportSource } from './report-source.js';

export interface PriceFloorOptions {
  /** Span start range, epoch ms, [from, to). */
  from: number;
  to: number;
  /** 0.3 = 30 % over cost. */
  targetMargin: number;
  /** What-if: each tenant's requests past the N-th (in start order) are not served. */
  capRequests?: number;
  /** What-if: each tenant's requests that would take its spend past this are not served, nano-dollars. */
  capSpendNanos?: bigint;
}

export interface FloorRow {
  key: string;
  requests: number;
  /** Requests without a price (not in the cost per request). */
  unpriced: number;
  meanCost: bigint;
  p95Cost: bigint;
  floorMean: bigint;
  floorP95: bigint;
  /** Tenants using it that have revenue, and how many of them pay less per request than `floorMean`. */
  tenantsWithRevenue: number;
  tenantsBelowFloor: number;
  shareBelowFloor: number | null;
}

export interface CapRow {
  tier: string;
  tenants: number;
  tenantsCapped: number;
  requestsCut: number;
  revenue: bigint;
  cost: bigint;
  margin: bigint;
  costAfter: bigint;
  marginAfter: bigint;
}

export interface PriceFloors {
  targetMargin: number;
  byFeature: FloorRow[];
  byTier: FloorRow[];
  cap?: { kind: 'requests' | 'spend'; limit: number | bigint; rows: CapRow[] };
}

const TABLE = 'costspan_revenue';
export const DEFAULT_TARGET_MARGIN = 0.3;
/** The target margin is applied in millionths. */
const PPM = 1_000_000n;

/** Loads the revenue entries into a temporary table (the store stays read-only). */
async function loadRevenue(connection: DuckDBConnection, entries: readonly RevenueEntry[]): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${TABLE} (trace_id VARCHAR, feature VARCHAR, tenant VARCHAR, tier VARCHAR, amount HUGEINT)`,
  );
  const appender = await connection.createAppender(TABLE, 'main', 'temp');
  const text = (v: string | null) => (v === null ? appender.appendNull() : appender.appendVarchar(v));
  for (const e of entries) {
    text(e.traceId);
    text(e.feature);
    text(e.tenant);
    text(e.tier ?? null);
    appender.appendHugeInt(e.amount);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

const common = (spans: string) => `
req AS NOT MATERIALIZED (
  SELECT trace_id, span_id, start_time, feature, tenant, cost_nanos
  FROM ${spans} WHERE epoch_ms(start_time) >= $1 AND epoch_ms(start_time) < $2),
tier_of AS (
  SELECT tenant, min(tier) AS tier, count(DISTINCT tier) AS tiers
  FROM ${TABLE} WHERE tenant IS NOT NULL AND tier IS NOT NULL GROUP BY tenant),
trace_tenant AS (
  SELECT trace_id, arg_min(tenant, start_time) AS tenant FROM req
  WHERE trace_id IN (SELECT trace_id FROM ${TABLE} WHERE trace_id IS NOT NULL) GROUP BY trace_id),
tenant_rev AS (
  SELECT tenant, sum(amount) AS revenue FROM (
    SELECT tenant, amount FROM ${TABLE} WHERE trace_id IS NULL AND tenant IS NOT NULL
    UNION ALL
    SELECT t.tenant, r.amount FROM ${TABLE} r JOIN trace_tenant t ON r.trace_id = t.trace_id WHERE t.tenant IS NOT NULL)
  GROUP BY tenant),
tenant_price AS (
  SELECT u.tenant, u.requests, r.revenue, coalesce(t.tier, $3) AS tier
  FROM (SELECT tenant, count(*) AS requests FROM req WHERE tenant IS NOT NULL GROUP BY tenant) u
  LEFT JOIN tenant_rev r USING (tenant) LEFT JOIN tier_of t USING (tenant)),
keyed AS NOT MATERIALIZED (
  SELECT r.tenant, r.cost_nanos, coalesce(r.feature, $3) AS by_feature, coalesce(p.tier, $3) AS by_tier
  FROM req r LEFT JOIN tenant_price p USING (tenant))`;

function floorsSql(spans: string, key: 'by_feature' | 'by_tier'): string {
  return `WITH ${common(spans)},
grp AS (
  SELECT ${key} AS key, count(*) AS requests, count(cost_nanos) AS priced, sum(cost_nanos) AS cost,
         quantile_disc(cost_nanos, 0.95) AS p95
  FROM keyed GROUP BY 1),
members AS (SELECT DISTINCT ${key} AS key, tenant FROM keyed WHERE tenant IS NOT NULL)
SELECT g.key, g.requests, g.priced, CAST(coalesce(g.cost, 0) AS VARCHAR) AS cost, CAST(g.p95 AS VARCHAR) AS p95,
  count(p.revenue) AS with_revenue,
  count(*) FILTER (WHERE p.revenue IS NOT NULL AND g.priced > 0
    AND p.revenue * g.priced * ${PPM} < g.cost * ($4 + ${PPM}) * p.requests) AS below
FROM grp g LEFT JOIN members m USING (key) LEFT JOIN tenant_price p ON p.tenant = m.tenant
GROUP BY g.key, g.requests, g.priced, g.cost, g.p95
ORDER BY g.key`;
}

const capSql = (spans: string) => `WITH ${common(spans)},
ranked AS (
  SELECT tenant, cost_nanos,
    row_number() OVER w AS n,
    sum(coalesce(cost_nanos, 0)) OVER (w ROWS UNBOUNDED PRECEDING) AS running
  FROM req WHERE tenant IS NOT NULL
  WINDOW w AS (PARTITION BY tenant ORDER BY start_time, trace_id, span_id)),
per_tenant AS (
  SELECT tenant, sum(coalesce(cost_nanos, 0)) AS cost,
    count(*) FILTER (WHERE CASE WHEN $4 = 'requests' THEN n > $5::BIGINT ELSE running > $5::HUGEINT END) AS cut,
    coalesce(sum(cost_nanos) FILTER (WHERE CASE WHEN $4 = 'requests' THEN n > $5::BIGINT ELSE running > $5::HUGEINT END), 0) AS cut_cost
  FROM ranked GROUP BY tenant)
SELECT p.tier, count(*) AS tenants, count(*) FILTER (WHERE t.cut > 0) AS capped, sum(t.cut) AS requests_cut,
  CAST(coalesce(sum(p.revenue), 0) AS VARCHAR) AS revenue, CAST(sum(t.cost) AS VARCHAR) AS cost,
  CAST(sum(t.cut_cost) AS VARCHAR) AS cut_cost
FROM per_tenant t JOIN tenant_price p USING (tenant)
GROUP BY p.tier ORDER BY p.tier`;

/** Floors per feature and per tier, and the usage-cap what-if per tier (with `capRequests` or `capSpendNanos`). */
export async function priceFloors(
  source: ReportSource,
  revenue: readonly RevenueEntry[],
  options: PriceFloorOptions,
): Promise<PriceFloors> {
  const connection = source.connection;
  await loadRevenue(connection, revenue);
  const marginPpm = BigInt(Math.round(options.targetMargin * 1_000_000));
  const base = [options.from, options.to, NONE, marginPpm] as const;
  const conflicts = await connection.runAndReadAll(
    `SELECT tenant, string_agg(DISTINCT tier, ', ') AS tiers FROM ${TABLE}
     WHERE tenant IS NOT NULL AND tier IS NOT NULL GROUP BY tenant HAVING count(DISTINCT tier) > 1 ORDER BY tenant`,
  );
  const conflict = conflicts.getRowObjectsJS()[0];
  if (conflict) throw new InputError(`revenue: tenant ${conflict.tenant} is in more than one tier (${conflict.tiers})`);
  const rows = async (key: 'by_feature' | 'by_tier'): Promise<FloorRow[]> => {
    const reader = await connection.runAndReadAll(floorsSql(source.spans, key), [...base]);
    return reader.getRowObjectsJS().map((r) => {
      const priced = BigInt(Number(r.priced));
      const cost = BigInt(String(r.cost));
      const mean = priced > 0n ? divRound(cost, priced) : 0n;
      const p95 = r.p95 === null ? 0n : BigInt(String(r.p95));
      const floorMean = priced > 0n ? divRound(cost * (PPM + marginPpm), priced * PPM) : 0n;
      const withRevenue = Number(r.with_revenue);
      const below = Number(r.below);
      return {
        key: String(r.key),
        requests: Number(r.requests),
        unpriced: Number(r.requests) - Number(r.priced),
        meanCost: mean,
        p95Cost: p95,
        floorMean,
        floorP95: divRound(p95 * (PPM + marginPpm), PPM),
        tenantsWithRevenue: withRevenue,
        tenantsBelowFloor: below,
        shareBelowFloor: withRevenue > 0 ? below / withRevenue : null,
      };
    });
  };
  const result: PriceFloors = {
    targetMargin: options.targetMargin,
    byFeature: await rows('by_feature'),
    byTier: await rows('by_tier'),
  };
  const kind = options.capRequests !== undefined ? 'requests' : options.capSpendNanos !== undefined ? 'spend' : null;
  if (kind !== null) {
    const limit = kind === 'requests' ? BigInt(options.capRequests!) : options.capSpendNanos!;
    const reader = await connection.runAndReadAll(capSql(source.spans), [
      options.from,
      options.to,
      NONE,
      kind,
      limit.toString(),
    ]);
    result.cap = {
      kind,
      limit: kind === 'requests' ? options.capRequests! : options.capSpendNanos!,
      rows: reader.getRowObjectsJS().map((r) => {
        const revenue = BigInt(String(r.revenue));
        const cost = BigInt(String(r.cost));
        const costAfter = cost - BigInt(String(r.cut_cost));
        return {
          tier: String(r.tier),
          tenants: Number(r.tenants),
          tenantsCapped: Number(r.capped),
          requestsCut: Number(r.requests_cut),
          revenue,
          cost,
          margin: revenue - cost,
          costAfter,
          marginAfter: revenue - costAfter,
        };
      }),
    };
  }
  await connection.run(`DROP TABLE IF EXISTS temp.${TABLE}`);
  return result;
}
