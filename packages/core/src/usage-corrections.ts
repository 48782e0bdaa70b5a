import type { InferenceUsage } from './inference-usage.js';

/**
 * Brings a usage record to OTel semantics when the counts themselves show a convention was not followed.
 *
 * - When a reported total equals input + cache + output, the input excluded the cache (raw Anthropic style):
 *   the cache is added to input. Same for reasoning outside output (raw Gemini `thoughtsTokenCount`).
 * - Subsets larger than their total cannot be subsets: cache reads + writes above input mean input excluded
 *   them; reasoning above output means output excluded it. Audio and 1-hour subsets are capped at their totals.
 *
 * Each correction is recorded in `usage.corrections`.
 */
export function applyUsageCorrections(usage: InferenceUsage, reportedTotal: number | undefined): void {
  const cache = usage.cacheReadTokens + usage.cacheWriteTokens;
  if (reportedTotal !== undefined && usage.inputTokens + usage.outputTokens !== reportedTotal) {
    if (cache > 0 && usage.inputTokens + cache + usage.outputTokens === reportedTotal) {
      usage.inputTokens += cache;
      note(usage, 'input-excluded-cache');
    } else if (
      usage.reasoningTokens > 0 &&
      usage.inputTokens + usage.outputTokens + usage.reasoningTokens === reportedTotal
    ) {
      usage.outputTokens += usage.reasoningTokens;
      note(usage, 'output-excluded-reasoning');
    }
  }
  if (cache > usage.inputTokens) {
    usage.inputTokens += cache;
    note(usage, 'input-excluded-cache');
  }
  if (usage.reasoningTokens > usage.outputTokens) {
    usage.outputTokens += usage.reasoningTokens;
    note(usage, 'output-excluded-reasoning');
  }
  if (usage.cacheWrite1hTokens > usage.cacheWriteTokens) {
    usage.cacheWrite1hTokens = usage.cacheWriteTokens;
    note(usage, 'cache-write-1h-capped');
  }
  if (usage.inputAudioTokens > usage.inputTokens) {
    usage.inputAudioTokens = usage.inputTokens;
    note(usage, 'input-audio-capped');
  }
  if (usage.outputAudioTokens > usage.outputTokens) {
    usage.outputAudioTokens = usage.outputTokens;
    note(usage, 'output-audio-capped');
  }
}

export function note(usage: InferenceUsage, correction: string): void {
  if (usage.corrections === undefined) usage.corrections = [correction];
  else if (!usage.corrections.includes(correction)) usage.corrections.push(correction);
}

/**
 * A usage record with every count 0. Every optional field is present (undefined) so that all usage records share
 * one object shape and are allocated once, instead of growing as the normalizer fills them in.
 */
export function emptyUsage(dialect: InferenceUsage['dialect']): InferenceUsage {
  return {
    dialect,
    provider: undefined,
    model: undefined,
    requestModel: undefined,
    responseModel: undefined,
    operation: undefined,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    inputAudioTokens: 0,
    outputAudioTokens: 0,
    reasoningTokens: 0,
    hasTokens: false,
    responseId: undefined,
    serviceTier: undefined,
    serverAddress: undefined,
    serverPort: undefined,
    existingCost: undefined,
    corrections: undefined,
  };
}
