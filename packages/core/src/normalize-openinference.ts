import { otelProviderName } from '@costspan/pricing';
import { firstCount, firstString, OPENINFERENCE_NAMES as N } from './dialect-table.js';
import type { InferenceUsage } from './inference-usage.js';
import type { AttrMap } from './record.js';
import { applyUsageCorrections, emptyUsage } from './usage-corrections.js';

/**
 * Arize OpenInference (the `openinference` reader of the dialect table): `llm.token_count.prompt` includes the
 * cache (`prompt_details.cache_read` / `cache_write` are subsets), `completion` includes reasoning. Model in
 * `llm.model_name` (embedding spans: `embedding.model_name`), hosting provider in `llm.provider`, model family in
 * `llm.system`. With `allowEmpty`, an `LLM` / `EMBEDDING` span without counts gives a record with `hasTokens`
 * false (a model call that ended without usage).
 */
export function normalizeOpenInference(attrs: AttrMap, embedding: boolean, allowEmpty = false): InferenceUsage | null {
  const prompt = firstCount(attrs, N.input_tokens);
  const completion = firstCount(attrs, N.output_tokens);
  const total = firstCount(attrs, N.total_tokens);
  const none = prompt === undefined && completion === undefined && total === undefined;
  if (none && !allowEmpty) return null;
  const usage = emptyUsage('openinference');
  usage.hasTokens = !none;
  // An embedding span may carry only a total, which is all input.
  usage.inputTokens = prompt ?? (completion === undefined && total !== undefined ? total : 0);
  usage.outputTokens = completion ?? 0;
  usage.cacheReadTokens = firstCount(attrs, N.cache_read_tokens) ?? 0;
  usage.cacheWriteTokens = firstCount(attrs, N.cache_write_tokens) ?? 0;
  usage.inputAudioTokens = firstCount(attrs, N.input_audio_tokens) ?? 0;
  usage.reasoningTokens = firstCount(attrs, N.reasoning_tokens) ?? 0;
  usage.outputAudioTokens = firstCount(attrs, N.output_audio_tokens) ?? 0;
  usage.model = embedding
    ? (firstString(attrs, N.embedding_model) ?? firstString(attrs, N.model))
    : firstString(attrs, N.model);
  usage.responseModel = usage.model;
  const provider = firstString(attrs, N.provider) ?? firstString(attrs, N.system);
  usage.provider = provider !== undefined ? otelProviderName(provider) : undefined;
  usage.operation = embedding ? 'embeddings' : 'chat';
  usage.responseId = firstString(attrs, N.response_id);
  applyUsageCorrections(usage, prompt !== undefined && completion !== undefined ? total : undefined);
  return usage;
}
