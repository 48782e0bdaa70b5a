import type { PriceBook } from '@costspan/pricing';
import { divRound, ratio } from '@costspan/pricing';
import type { NodeWindowRecord, TokenProfile } from './types.js';

export interface CompareInput {
  /** Node cost per hour, nano-dollars. */
  hourlyRate: bigint;
  /** Requests per hour the node serves at full utilization, as exact decimal text ("1200", "37.5"). */
  throughputPerHour: string;
  utilizations: readonly number[];
  profile: TokenProfile;
  models: readonly { provider?: string; model: string }[];
}

export interface SelfHostedPoint {
  /** Utilization in percent (integer). */
  utilization: number;
  /** Node cost per request at this utilization, nano-dollars. */
  costPerRequest: bigint;
}

export interface ApiPoint {
  provider: string | null;
  model: string;
  /** API price per request for the profile, nano-dollars; null when the catalog has no price. */
  pricePerRequest: bigint | null;
  reason?: string;
  /** Requests per hour at which the node costs the same per request; null when unpriced or free. */
  breakEvenPerHour: number | null;
  /** The utilization (0–1+) that break-even needs; above 1 the node can never break even. */
  breakEvenUtilization: number | null;
}

export interface CompareResult {
  selfHosted: SelfHostedPoint[];
  api: ApiPoint[];
}

const THROUGHPUT_SCALE = 1_000_000_000n;

/** Requests/hour text → integer requests per 1e9 hours (exact for up to nine decimals). */
export function parseThroughput(text: string): bigint | null {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) return null;
  const value = BigInt(match[1]!) * THROUGHPUT_SCALE + BigInt((match[2] ?? '').padEnd(9, '0') || '0');
  return value > 0n ? value : null;
}

/**
 * Build vs buy. Self-hosted cost per request at utilization u is rate / (throughput · u). The break-even request
 * rate for a model is rate / API price per request (requests per hour); its utilization is that rate / throughput.
 */
export function compareBuildVsBuy(book: PriceBook, input: CompareInput): CompareResult {
  const throughput = parseThroughput(input.throughputPerHour);
  if (throughput === null) throw new RangeError(`throughput must be a positive decimal: ${input.throughputPerHour}`);
  const selfHosted = input.utilizations.map((u) => ({
    utilization: u,
    // rate / (throughput/1e9 · u/100) = rate · 1e9 · 100 / (throughput · u)
    costPerRequest: divRound(input.hourlyRate * THROUGHPUT_SCALE * 100n, throughput * BigInt(u)),
  }));
  const api = input.models.map((m): ApiPoint => {
    const result = book.price({
      provider: m.provider,
      model: m.model,
      usage: {
        inputTokens: input.profile.inputTokens,
        cacheReadTokens: input.profile.cachedTokens,
        outputTokens: input.profile.outputTokens,
      },
    });
    if (result.status === 'unpriced') {
      return {
        provider: m.provider ?? null,
        model: m.model,
        pricePerRequest: null,
        reason: result.reason,
        breakEvenPerHour: null,
        breakEvenUtilization: null,
      };
    }
    const price = BigInt(result.nanos.amount);
    const breakEven = ratio(input.hourlyRate, price);
    return {
      provider: result.provider,
      model: result.model,
      pricePerRequest: price,
      breakEvenPerHour: breakEven,
      breakEvenUtilization: breakEven === null ? null : (breakEven * Number(THROUGHPUT_SCALE)) / Number(throughput),
    };
  });
  return { selfHosted, api };
}

/** A node's measured rate and throughput from its windows: cost per hour of window time, requests per busy hour. */
export function measureNode(
  windows: readonly NodeWindowRecord[],
): { hourlyRate: bigint; throughputPerHour: string } | null {
  let seconds = 0;
  let busy = 0;
  let requests = 0;
  let cost = 0n;
  for (const w of windows) {
    seconds += (w.end - w.start) / 1000;
    busy += w.busySeconds;
    requests += w.requests;
    cost += w.nodeCost;
  }
  if (seconds <= 0 || busy <= 0 || requests === 0) return null;
  const msTotal = BigInt(Math.round(seconds * 1000));
  return {
    hourlyRate: divRound(cost * 3_600_000n, msTotal),
    throughputPerHour: ((requests / busy) * 3600).toFixed(6),
  };
}
