import type { TokenUsage as PricedUsage } from '@costspan/pricing';

/**
 * Token usage of one call as the provider's response reports it, already in OpenTelemetry semantics: the counts
 * of `@costspan/pricing`'s `TokenUsage` (the one usage type; `cacheWriteTokens` all cache writes, 5-minute and
 * 1-hour, `cacheWrite1hTokens` the 1-hour part), each present only when reported, plus extra billable units.
 */
export interface TokenUsage
  extends Partial<
    Pick<
      PricedUsage,
      'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'cacheWrite1hTokens' | 'reasoningTokens'
    >
  > {
  webSearchRequests?: number;
  /** Counted locally because the provider reported none. */
  estimated?: boolean;
}

/** What a finished call reports, as far as the provider's response tells it. */
export interface CallOutcome {
  responseId?: string;
  responseModel?: string;
  finishReasons?: string[];
  serviceTier?: string;
  usage?: TokenUsage;
  /**
   * Output messages in the OTel GenAI JSON shape, or a function that builds them (called only when content capture
   * is on, so the common case builds nothing).
   */
  outputMessages?: unknown[] | (() => unknown[]);
}

/** A non-negative integer from a provider payload, else undefined. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : undefined;
}

/** A count above 0, else undefined (a `0` field is not written: earlier models report writes as free). */
export function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

/** Plain-object view of a provider payload field. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Property view of a module export or class (objects and functions alike). */
export function member(value: unknown): Record<string, unknown> | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}
