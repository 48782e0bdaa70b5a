import {
  ATTR_LLM_MODEL_NAME,
  ATTR_LLM_PROVIDER,
  ATTR_LLM_SYSTEM,
  ATTR_LLM_TOKEN_COUNT_COMPLETION,
  ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO,
  ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING,
  ATTR_LLM_TOKEN_COUNT_PROMPT,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
  ATTR_LLM_TOKEN_COUNT_TOTAL,
} from '@costspan/semconv';
import { EMBEDDING_MODEL_NAME } from './foreign-names.js';
import type { InferenceUsage } from './inference-usage.js';
import { otelProviderName } from './provider-name.js';
import { readCount, readFirstString, readString } from './read-attributes.js';
import type { AttrMap } from './record.js';
import { applyUsageCorrections, emptyUsage } from './usage-corrections.js';

/**
 * Arize OpenInference: `llm.token_count.prompt` includes the cache (`prompt_details.cache_read` /
 * `cache_write` are subsets), `completion` includes reasoning. Model in `llm.model_name` (embedding spans:
 * `embedding.model_name`), hosting provider in `llm.provider`, model family in `llm.system`.
 */
export function normalizeOpenInference(attrs: AttrMap, embedding: boolean): InferenceUsage | null {
  const prompt = readCount(attrs, ATTR_LLM_TOKEN_COUNT_PROMPT);
  const completion = readCount(attrs, ATTR_LLM_TOKEN_COUNT_COMPLETION);
  const total = readCount(attrs, ATTR_LLM_TOKEN_COUNT_TOTAL);
  if (prompt === undefined && completion === undefined && total === undefined) return null;
  const usage = emptyUsage('openinference');
  usage.hasTokens = true;
  // An embedding span may carry only a total, which is all input.
  usage.inputTokens = prompt ?? (completion === undefined && total !== undefined ? total : 0);
  usage.outputTokens = completion ?? 0;
  usage.cacheReadTokens = readCount(attrs, ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ) ?? 0;
  usage.cacheWriteTokens = readCount(attrs, ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE) ?? 0;
  usage.inputAudioTokens = readCount(attrs, ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO) ?? 0;
  usage.reasoningTokens = readCount(attrs, ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING) ?? 0;
  usage.outputAudioTokens = readCount(attrs, ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO) ?? 0;
  usage.model = embedding
    ? readFirstString(attrs, EMBEDDING_MODEL_NAME, ATTR_LLM_MODEL_NAME)
    : readString(attrs, ATTR_LLM_MODEL_NAME);
  usage.responseModel = usage.model;
  const provider = readFirstString(attrs, ATTR_LLM_PROVIDER, ATTR_LLM_SYSTEM);
  usage.provider = provider !== undefined ? otelProviderName(provider) : undefined;
  usage.operation = embedding ? 'embeddings' : 'chat';
  applyUsageCorrections(usage, prompt !== undefined && completion !== undefined ? total : undefined);
  return usage;
}
