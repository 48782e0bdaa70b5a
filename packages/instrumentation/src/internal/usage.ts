/**
 * Token usage of one call, already in OpenTelemetry semantics: `inputTokens` counts ALL input (cached included),
 * `outputTokens` counts ALL output (reasoning included); the other counts are subsets or extra billable units.
 */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  /** All cache writes (5-minute and 1-hour). */
  cacheCreationTokens?: number;
  /** The part of `cacheCreationTokens` written with a 1-hour lifetime. */
  cacheCreation1hTokens?: number;
  reasoningTokens?: number;
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
