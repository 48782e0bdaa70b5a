import { DEFAULT_MAX_HELD_SPANS, DEFAULT_MAX_REQUEST_AGE_MS, DEFAULT_WINDOW_MS } from './config.js';
import { multiplyRational } from './rational.js';
import type { IdlePolicy, Rational, ResolvedGpuConfig, ResolvedOverhead } from './types.js';

/**
 * Hours in a billing month: 730 = 365 days × 24 h ÷ 12 months (the convention of cloud list prices). A
 * `monthlyRate` is the hourly rate × 730, exactly: $70/month accrues $70·t/730 h over any span of time t, the
 * same every month (no calendar-month lengths).
 */
export const HOURS_PER_MONTH = 730;

/** How a shared resource's busy cost is split among the spans it served. */
export type SharedResourceMethod = 'time' | 'requests' | 'units';

/** A shared fixed-rate resource as the allocator needs it (validated by `@costspan/config`'s `resources` parser). */
export interface SharedResourceRates {
  id: string;
  /** Per hour, exact. Give this or `monthlyRate`. */
  hourlyRate?: Rational;
  /** Per billing month of `HOURS_PER_MONTH` hours, exact. */
  monthlyRate?: Rational;
  /** ISO 4217, default USD. */
  currency?: string;
  method: SharedResourceMethod;
  /** Window length, ms. Default 60 000 (as GPU nodes). */
  windowMs?: number;
  /** Default `separate`. */
  idle?: IdlePolicy;
  overhead?: ResolvedOverhead;
  /** Start of billing, ms since the epoch. Default: the allocator's start. */
  startTimeMs?: number;
  /** A span in flight longer than this (ms) is evicted and counted. Default one hour. */
  maxRequestAgeMs?: number;
}

/** The hourly rate of a resource: its `hourlyRate`, or its `monthlyRate` ÷ `HOURS_PER_MONTH`, exactly. */
export function resourceHourlyRate(rates: Pick<SharedResourceRates, 'hourlyRate' | 'monthlyRate'>): Rational {
  if (rates.hourlyRate !== undefined) return rates.hourlyRate;
  const monthly = rates.monthlyRate ?? { num: 0n, den: 1n };
  return multiplyRational(monthly, { num: 1n, den: BigInt(HOURS_PER_MONTH) });
}

/**
 * The allocation configuration of one shared resource: a one-node configuration the `GpuAllocator` runs exactly
 * as it runs GPU nodes (same windows, idle, overhead, exact integer money, window records). Frozen.
 */
export function sharedResourceConfig(rates: SharedResourceRates): ResolvedGpuConfig {
  const node = Object.freeze({
    id: rates.id,
    hourlyRate: resourceHourlyRate(rates),
    currency: rates.currency ?? 'USD',
    startUs: rates.startTimeMs === undefined ? undefined : Math.round(rates.startTimeMs * 1000),
    match: Object.freeze({}),
  });
  return Object.freeze({
    nodes: Object.freeze([node]),
    windowMs: rates.windowMs ?? DEFAULT_WINDOW_MS,
    method: rates.method,
    tokenWeights: Object.freeze({ input: 1, cachedInput: 1, output: 1 }),
    idle: rates.idle ?? 'separate',
    overhead: rates.overhead ?? Object.freeze({ kind: 'none' as const }),
    mode: 'streaming' as const,
    maxHeldSpans: DEFAULT_MAX_HELD_SPANS,
    maxRequestAgeMs: rates.maxRequestAgeMs ?? DEFAULT_MAX_REQUEST_AGE_MS,
  });
}
