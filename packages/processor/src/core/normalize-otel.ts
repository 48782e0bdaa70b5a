import {
  ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS,
  ATTR_COSTSPAN_USAGE_INPUT_AUDIO_TOKENS,
  ATTR_COSTSPAN_USAGE_OUTPUT_AUDIO_TOKENS,
  ATTR_GEN_AI_LATENCY_TIME_IN_QUEUE,
  ATTR_LLM_REQUEST_TYPE,
  ATTR_LLM_USAGE_TOTAL_TOKENS,
  ATTR_OPENLLMETRY_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS as ATTR_OPENLLMETRY_CACHE_CREATION_INPUT_TOKENS,
  ATTR_OPENLLMETRY_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS as ATTR_OPENLLMETRY_CACHE_READ_INPUT_TOKENS,
} from '@costspan/semconv';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { InferenceUsage } from './inference-usage.js';
import { otelProviderName } from './provider-name.js';
import { readCount, readFirstCount, readFirstString, readString } from './read-attributes.js';
import type { AttrMap } from './record.js';
import { applyUsageCorrections, emptyUsage } from './usage-corrections.js';

/** vLLM's server span name (one per request, SERVER kind). */
export const VLLM_REQUEST_SPAN_NAME = 'llm_request';

/**
 * OpenTelemetry GenAI attributes, current (`gen_ai.usage.input_tokens`, ≥ 1.38) and deprecated
 * (`gen_ai.usage.prompt_tokens`, `gen_ai.system`), OpenLLMetry's legacy cache names, and vLLM server spans
 * (deprecated names plus `gen_ai.latency.*`).
 */
export function normalizeOtel(
  name: string,
  attrs: AttrMap,
  operation: string | undefined = readString(attrs, ATTR_GEN_AI_OPERATION_NAME),
): InferenceUsage | null {
  const currentIn = readCount(attrs, ATTR_GEN_AI_USAGE_INPUT_TOKENS);
  const currentOut = readCount(attrs, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS);
  // A deprecated name is only a fallback for a current one that is absent: not read when the current one is there.
  const legacyIn = currentIn === undefined ? readCount(attrs, ATTR_GEN_AI_USAGE_PROMPT_TOKENS) : undefined;
  const legacyOut = currentOut === undefined ? readCount(attrs, ATTR_GEN_AI_USAGE_COMPLETION_TOKENS) : undefined;
  const current = currentIn !== undefined || currentOut !== undefined;
  const legacy = legacyIn !== undefined || legacyOut !== undefined;
  if (!current && !legacy) return null;

  const vllm = name === VLLM_REQUEST_SPAN_NAME && attrs[ATTR_GEN_AI_LATENCY_TIME_IN_QUEUE] !== undefined;
  const openllmetry =
    !vllm &&
    (attrs[ATTR_LLM_REQUEST_TYPE] !== undefined ||
      attrs[ATTR_LLM_USAGE_TOTAL_TOKENS] !== undefined ||
      attrs[ATTR_OPENLLMETRY_CACHE_READ_INPUT_TOKENS] !== undefined ||
      attrs[ATTR_OPENLLMETRY_CACHE_CREATION_INPUT_TOKENS] !== undefined);
  const usage = emptyUsage(vllm ? 'vllm' : openllmetry ? 'openllmetry' : current ? 'otel' : 'otel-deprecated');
  usage.hasTokens = true;
  usage.inputTokens = currentIn ?? legacyIn ?? 0;
  usage.outputTokens = currentOut ?? legacyOut ?? 0;
  usage.cacheReadTokens =
    readFirstCount(attrs, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, ATTR_OPENLLMETRY_CACHE_READ_INPUT_TOKENS) ?? 0;
  usage.cacheWriteTokens =
    readFirstCount(
      attrs,
      ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      ATTR_OPENLLMETRY_CACHE_CREATION_INPUT_TOKENS,
    ) ?? 0;
  usage.cacheWrite1hTokens = readCount(attrs, ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS) ?? 0;
  usage.reasoningTokens = readCount(attrs, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS) ?? 0;
  usage.inputAudioTokens = readCount(attrs, ATTR_COSTSPAN_USAGE_INPUT_AUDIO_TOKENS) ?? 0;
  usage.outputAudioTokens = readCount(attrs, ATTR_COSTSPAN_USAGE_OUTPUT_AUDIO_TOKENS) ?? 0;

  usage.requestModel = readString(attrs, ATTR_GEN_AI_REQUEST_MODEL);
  usage.responseModel = readString(attrs, ATTR_GEN_AI_RESPONSE_MODEL);
  usage.model = usage.responseModel ?? usage.requestModel;
  const provider = readFirstString(attrs, ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM);
  // A vLLM server is self-hosted: its model must not match a hosted provider's catalog price.
  usage.provider = provider !== undefined ? otelProviderName(provider) : vllm ? 'vllm' : undefined;
  usage.operation = operation ?? operationFromRequestType(attrs);
  applyUsageCorrections(usage, readCount(attrs, ATTR_LLM_USAGE_TOTAL_TOKENS));
  return usage;
}

function operationFromRequestType(attrs: AttrMap): string | undefined {
  switch (readString(attrs, ATTR_LLM_REQUEST_TYPE)) {
    case 'chat':
      return 'chat';
    case 'completion':
      return 'text_completion';
    case 'embedding':
      return 'embeddings';
    default:
      return undefined;
  }
}
