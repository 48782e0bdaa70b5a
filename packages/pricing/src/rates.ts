/**
 * Compiled price tables: what one price entry charges, as integer femto-dollar rates per unit (-1 = no price).
 */

/** Integer femto-dollars per token (per request for `request`); -1 where the entry has no such price. */
export interface RateSet {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  inputAudio: number;
  output: number;
  reasoning: number;
  outputAudio: number;
  request: number;
}

export type RateKey = keyof RateSet;

export const RATE_KEYS: readonly RateKey[] = [
  'input',
  'cacheRead',
  'cacheWrite',
  'cacheWrite1h',
  'inputAudio',
  'output',
  'reasoning',
  'outputAudio',
  'request',
];

/** Token rates a service-tier multiplier scales; per-request fees are not scaled. */
const TOKEN_RATE_KEYS: readonly RateKey[] = RATE_KEYS.filter((key) => key !== 'request');

/** A long-context tier: when input tokens are strictly above `above`, `rates` price the whole request. */
export interface RateTier {
  above: number;
  label: string;
  rates: RateSet;
}

/** One effective-dated (or time-of-day) price of an entry. */
export interface PriceSchedule {
  /** Epoch milliseconds from which this schedule applies; -Infinity = always. */
  from: number;
  /** UTC seconds-of-day window [start, end) for time-of-day prices; end < start wraps midnight. */
  window?: { start: number; end: number };
  base: RateSet;
  /** Ascending by `above`. */
  tiers: RateTier[];
  /** Service tiers priced by this entry itself: a multiplier or explicit flat rates. */
  serviceTiers?: ReadonlyMap<string, number | RateSet>;
}

/** A matched price entry: everything needed to price requests for one (provider, model). */
export interface PriceEntry {
  provider: string;
  model: string;
  source: string;
  /** Catalog order (fallback to the first schedule) or override order (ascending `from`, no fallback). */
  schedules: PriceSchedule[];
  /** When no schedule is in effect: true = use schedules[0] (catalog semantics), false = none applies. */
  fallbackToFirst: boolean;
}

export function emptyRates(): RateSet {
  return {
    input: -1,
    cacheRead: -1,
    cacheWrite: -1,
    cacheWrite1h: -1,
    inputAudio: -1,
    output: -1,
    reasoning: -1,
    outputAudio: -1,
    request: -1,
  };
}

export function scaleRates(rates: RateSet, multiplier: number): RateSet {
  const scaled = { ...rates };
  for (const key of TOKEN_RATE_KEYS) {
    const rate = rates[key];
    if (rate >= 0) scaled[key] = Math.round(rate * multiplier);
  }
  return scaled;
}

/** Whether the entry can price anything at all. */
export function hasAnyRate(rates: RateSet): boolean {
  return rates.input >= 0 || rates.output >= 0 || rates.request >= 0;
}

/** The schedule in effect at `time` (epoch ms), or undefined when none is. */
export function selectSchedule(entry: PriceEntry, time: number): PriceSchedule | undefined {
  const schedules = entry.schedules;
  for (let i = schedules.length - 1; i >= 0; i--) {
    const schedule = schedules[i] as PriceSchedule;
    const window = schedule.window;
    if (window !== undefined) {
      if (inWindow(window, time)) return schedule;
    } else if (time >= schedule.from) {
      return schedule;
    }
  }
  return entry.fallbackToFirst ? schedules[0] : undefined;
}

function inWindow(window: { start: number; end: number }, time: number): boolean {
  const dayMs = 86_400_000;
  const seconds = (((time % dayMs) + dayMs) % dayMs) / 1000;
  return window.end < window.start
    ? seconds >= window.start || seconds < window.end
    : seconds >= window.start && seconds < window.end;
}

/** The tier in effect for `inputTokens` (strictly above the threshold), or undefined for the base rates. */
export function selectTier(schedule: PriceSchedule, inputTokens: number): RateTier | undefined {
  const tiers = schedule.tiers;
  for (let i = tiers.length - 1; i >= 0; i--) {
    const tier = tiers[i] as RateTier;
    if (inputTokens > tier.above) return tier;
  }
  return undefined;
}
