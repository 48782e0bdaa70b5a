import { dimensionValue } from './dimension-value.js';
import { ratio } from './money.js';
import { summarize } from './rollup.js';
import type { Dimension, RequestRecord } from './types.js';

export interface TopRequest {
  time: number;
  traceId: string;
  spanId: string;
  feature: string | null;
  tenant: string | null;
  provider: string | null;
  model: string | null;
  node: string | null;
  inputTokens: number;
  outputTokens: number;
  cost: bigint;
}

export interface RisingGroup {
  key: string;
  requests: number;
  previousRequests: number;
  /** Mean cost per request now and in the previous period, nano-dollars. */
  mean: bigint;
  previousMean: bigint;
  /** mean − previousMean. */
  rise: bigint;
  /** mean / previousMean; null when the previous mean was zero. */
  factor: number | null;
}

/** The `n` most expensive priced requests, most expensive first (ties by time, then trace id). */
export function topRequests(records: readonly RequestRecord[], n: number): TopRequest[] {
  return records
    .filter((r): r is RequestRecord & { cost: bigint } => r.cost !== null)
    .sort((a, b) =>
      a.cost === b.cost ? a.time - b.time || a.traceId.localeCompare(b.traceId) : a.cost > b.cost ? -1 : 1,
    )
    .slice(0, n)
    .map((r) => ({
      time: r.time,
      traceId: r.traceId,
      spanId: r.spanId,
      feature: r.feature,
      tenant: r.tenant,
      provider: r.provider,
      model: r.model,
      node: r.node,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cost: r.cost,
    }));
}

/**
 * Groups (by `dimension`, e.g. feature) whose mean cost per request rose most against the previous period of equal
 * length, largest rise first; only groups with priced requests in both periods and a positive rise.
 */
export function risingGroups(
  current: readonly RequestRecord[],
  previous: readonly RequestRecord[],
  dimension: Dimension,
  n: number,
): RisingGroup[] {
  const group = (records: readonly RequestRecord[]) => {
    const map = new Map<string, RequestRecord[]>();
    for (const r of records) {
      const key = dimensionValue(r, dimension);
      const list = map.get(key) ?? [];
      list.push(r);
      map.set(key, list);
    }
    return map;
  };
  const now = group(current);
  const before = group(previous);
  const result: RisingGroup[] = [];
  for (const [key, list] of now) {
    const previousList = before.get(key);
    if (!previousList) continue;
    const a = summarize({}, list);
    const b = summarize({}, previousList);
    if (a.mean === null || b.mean === null || a.mean <= b.mean) continue;
    result.push({
      key,
      requests: a.requests,
      previousRequests: b.requests,
      mean: a.mean,
      previousMean: b.mean,
      rise: a.mean - b.mean,
      factor: ratio(a.mean, b.mean),
    });
  }
  result.sort((x, y) => {
    const fx = x.factor ?? Number.POSITIVE_INFINITY;
    const fy = y.factor ?? Number.POSITIVE_INFINITY;
    return fx === fy ? (x.rise === y.rise ? x.key.localeCompare(y.key) : x.rise > y.rise ? -1 : 1) : fy - fx;
  });
  return result.slice(0, n);
}
