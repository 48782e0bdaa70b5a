import { otelProviderName } from '@costspan/pricing';
import { ATTR_GEN_AI_LATENCY_TIME_IN_QUEUE, DIALECT_READS } from '@costspan/semconv';
import { anyPresent, dialectNames, firstCount, firstString, GEN_AI_NAMES as N } from './dialect-table.js';
import type { InferenceDialect, InferenceUsage } from './inference-usage.js';
import type { AttrMap } from './record.js';
import { applyUsageCorrections, emptyUsage } from './usage-corrections.js';

/** vLLM's server span name (one per request, SERVER kind). */
export const VLLM_REQUEST_SPAN_NAME = 'llm_request';

const OPENLLMETRY = dialectNames('openllmetry');
const ANTHROPIC_SDK = dialectNames('anthropic_sdk');
const SENTRY = dialectNames('sentry');
/** Current (not deprecated) input and output totals: without any, a span with counts used deprecated names. */
const CURRENT_TOTALS: readonly string[] = DIALECT_READS.filter(
  (r) => r.reader === 'gen_ai' && r.semantics === 'total' && r.deprecatedFor === undefined,
).map((r) => r.name);

/**
 * Every dialect of the `gen_ai` reader in the dialect table (`conventions/model/dialects.yaml`): OpenTelemetry
 * GenAI current and deprecated, Sentry's dotted subsets, the Anthropic SDK's 5-minute / 1-hour cache writes,
 * OpenLLMetry's legacy cache names and vLLM server spans. Each field is read from its names in table order: a
 * deprecated name only when every current one is absent.
 *
 * With `allowEmpty`, a span with no count at all still gives a usage record (`hasTokens` false): a model call
 * that ended without usage, which the core reports as unpriced (`no_usage`).
 */
export function normalizeOtel(
  name: string,
  attrs: AttrMap,
  operation: string | undefined = firstString(attrs, N.operation),
  allowEmpty = false,
): InferenceUsage | null {
  const input = firstCount(attrs, N.input_tokens);
  const output = firstCount(attrs, N.output_tokens);
  if (input === undefined && output === undefined && !allowEmpty) return null;

  const usage = emptyUsage(dialectOf(name, attrs));
  usage.hasTokens = input !== undefined || output !== undefined;
  usage.inputTokens = input ?? 0;
  usage.outputTokens = output ?? 0;
  usage.cacheReadTokens = firstCount(attrs, N.cache_read_tokens) ?? 0;
  const fiveMinute = firstCount(attrs, N.cache_write_5m_tokens);
  const oneHour = firstCount(attrs, N.cache_write_1h_tokens);
  // The Anthropic SDK's lifetimes split the writes; they stand for them when no total write count is given.
  usage.cacheWriteTokens =
    firstCount(attrs, N.cache_write_tokens) ??
    (fiveMinute !== undefined || oneHour !== undefined ? (fiveMinute ?? 0) + (oneHour ?? 0) : 0);
  usage.cacheWrite1hTokens = oneHour ?? 0;
  usage.reasoningTokens = firstCount(attrs, N.reasoning_tokens) ?? 0;
  usage.inputAudioTokens = firstCount(attrs, N.input_audio_tokens) ?? 0;
  usage.outputAudioTokens = firstCount(attrs, N.output_audio_tokens) ?? 0;

  usage.requestModel = firstString(attrs, N.request_model);
  usage.responseModel = firstString(attrs, N.response_model);
  usage.model = usage.responseModel ?? usage.requestModel;
  const provider = firstString(attrs, N.provider);
  // A vLLM server is self-hosted: its model must not match a hosted provider's catalog price.
  usage.provider = provider !== undefined ? otelProviderName(provider) : usage.dialect === 'vllm' ? 'vllm' : undefined;
  usage.operation = operation ?? operationFromRequestType(attrs);
  usage.responseId = firstString(attrs, N.response_id);
  applyUsageCorrections(usage, firstCount(attrs, N.total_tokens));
  return usage;
}

function dialectOf(name: string, attrs: AttrMap): InferenceDialect {
  if (name === VLLM_REQUEST_SPAN_NAME && attrs[ATTR_GEN_AI_LATENCY_TIME_IN_QUEUE] !== undefined) return 'vllm';
  if (anyPresent(attrs, OPENLLMETRY)) return 'openllmetry';
  if (anyPresent(attrs, ANTHROPIC_SDK)) return 'anthropic-sdk';
  if (anyPresent(attrs, SENTRY)) return 'sentry';
  // Deprecated names only: an older OTel instrumentation.
  return firstCount(attrs, CURRENT_TOTALS) === undefined &&
    (firstCount(attrs, N.input_tokens) !== undefined || firstCount(attrs, N.output_tokens) !== undefined)
    ? 'otel-deprecated'
    : 'otel';
}

function operationFromRequestType(attrs: AttrMap): string | undefined {
  switch (firstString(attrs, N.request_type)) {
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
