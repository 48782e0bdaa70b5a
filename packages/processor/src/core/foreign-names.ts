/**
 * Attribute names of the Vercel AI SDK (and one OpenInference name) that costspan reads but never writes.
 *
 * They cannot be declared in the conventions registry, whose ids must be lowercase (the AI SDK uses camelCase
 * segments), so they are kept here, in one place. Lowercase foreign names costspan reads are declared in
 * `conventions/model/processor.yaml` and used through `@costspan/semconv`.
 */

/** AI SDK operation id, e.g. `ai.generateText` (outer call) or `ai.generateText.doGenerate` (provider call). */
export const AI_OPERATION_ID = 'ai.operationId';
export const AI_MODEL_ID = 'ai.model.id';
/** AI SDK provider id plus API, e.g. `openai.chat`, `anthropic.messages`. */
export const AI_MODEL_PROVIDER = 'ai.model.provider';
export const AI_RESPONSE_MODEL = 'ai.response.model';
/** JSON string of the provider metadata (AI SDK ≤ 5 carries Anthropic cache writes only here). */
export const AI_RESPONSE_PROVIDER_METADATA = 'ai.response.providerMetadata';

// AI SDK 3 / 4
export const AI_USAGE_PROMPT_TOKENS = 'ai.usage.promptTokens';
export const AI_USAGE_COMPLETION_TOKENS = 'ai.usage.completionTokens';
// AI SDK 5+
export const AI_USAGE_INPUT_TOKENS = 'ai.usage.inputTokens';
export const AI_USAGE_OUTPUT_TOKENS = 'ai.usage.outputTokens';
export const AI_USAGE_TOTAL_TOKENS = 'ai.usage.totalTokens';
export const AI_USAGE_REASONING_TOKENS = 'ai.usage.reasoningTokens';
export const AI_USAGE_CACHED_INPUT_TOKENS = 'ai.usage.cachedInputTokens';
// AI SDK 6+
export const AI_USAGE_INPUT_NO_CACHE_TOKENS = 'ai.usage.inputTokenDetails.noCacheTokens';
export const AI_USAGE_INPUT_CACHE_READ_TOKENS = 'ai.usage.inputTokenDetails.cacheReadTokens';
export const AI_USAGE_INPUT_CACHE_WRITE_TOKENS = 'ai.usage.inputTokenDetails.cacheWriteTokens';
export const AI_USAGE_OUTPUT_TEXT_TOKENS = 'ai.usage.outputTokenDetails.textTokens';
export const AI_USAGE_OUTPUT_REASONING_TOKENS = 'ai.usage.outputTokenDetails.reasoningTokens';
// embed / embedMany
export const AI_USAGE_TOKENS = 'ai.usage.tokens';

/** OpenInference embedding spans name their model here rather than in `llm.model_name`. */
export const EMBEDDING_MODEL_NAME = 'embedding.model_name';
