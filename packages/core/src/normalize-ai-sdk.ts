import { isAnthropicFamily, isGoogleFamily, otelProviderName } from '@costspan/pricing';
import {
  ATTR_AI_RESPONSE_PROVIDER_METADATA,
  ATTR_AI_USAGE_CACHED_INPUT_TOKENS,
  ATTR_AI_USAGE_COMPLETION_TOKENS,
  ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_READ_TOKENS,
  ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_WRITE_TOKENS,
  ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS,
  ATTR_AI_USAGE_INPUT_TOKENS,
  ATTR_AI_USAGE_OUTPUT_TOKEN_DETAILS_REASONING_TOKENS,
  ATTR_AI_USAGE_OUTPUT_TOKEN_DETAILS_TEXT_TOKENS,
  ATTR_AI_USAGE_OUTPUT_TOKENS,
  ATTR_AI_USAGE_PROMPT_TOKENS,
  ATTR_AI_USAGE_REASONING_TOKENS,
  ATTR_AI_USAGE_TOKENS,
  ATTR_AI_USAGE_TOTAL_TOKENS,
} from '@costspan/semconv';
import { firstString, GEN_AI_NAMES, AI_SDK_NAMES as N } from './dialect-table.js';
import type { InferenceUsage } from './inference-usage.js';
import { readCount } from './read-attributes.js';
import type { AttrMap } from './record.js';
import { applyUsageCorrections, emptyUsage, note } from './usage-corrections.js';

/** Suffixes of the AI SDK's inner provider-call spans — the only AI SDK spans that are priced. */
const PROVIDER_CALL_SUFFIXES = ['.doGenerate', '.doStream', '.doEmbed'] as const;

/** True for `ai.generateText.doGenerate`, `ai.streamText.doStream`, `ai.embed.doEmbed`, … */
export function isAiSdkProviderCall(operationId: string): boolean {
  for (const s of PROVIDER_CALL_SUFFIXES) if (operationId.endsWith(s)) return true;
  return false;
}

/**
 * Vercel AI SDK spans (v3–v6, and AI SDK 7 with the legacy OpenTelemetry integration). Per version:
 *
 * - v6+: `ai.usage.inputTokens` is the total, cache included; `inputTokenDetails.{noCache,cacheRead,cacheWrite}`
 *   and `outputTokenDetails.{text,reasoning}` break it down. Authoritative.
 * - v5: `inputTokens` / `outputTokens` carry the provider's own numbers: Anthropic's input EXCLUDES the cache
 *   (reads in `cachedInputTokens`, writes only in the provider metadata), Google's output EXCLUDES thoughts
 *   (`reasoningTokens`). Both are corrected here.
 * - v3/v4: `promptTokens` / `completionTokens`; Anthropic cache counts only in the provider metadata.
 * - embeddings: `ai.usage.tokens`, all input.
 *
 * With `allowEmpty`, a provider call without counts gives a record with `hasTokens` false.
 */
export function normalizeAiSdk(operationId: string, attrs: AttrMap, allowEmpty = false): InferenceUsage | null {
  const embed = operationId.endsWith('.doEmbed');
  const reportedProvider = firstString(attrs, N.provider);
  const usage = emptyUsage('ai-sdk');
  let total: number | undefined;
  if (embed) {
    const tokens = readCount(attrs, ATTR_AI_USAGE_TOKENS) ?? readCount(attrs, ATTR_AI_USAGE_INPUT_TOKENS);
    if (tokens === undefined && !allowEmpty) return null;
    usage.hasTokens = tokens !== undefined;
    usage.inputTokens = tokens ?? 0;
  } else {
    const v5In = readCount(attrs, ATTR_AI_USAGE_INPUT_TOKENS);
    const v5Out = readCount(attrs, ATTR_AI_USAGE_OUTPUT_TOKENS);
    const v4In = readCount(attrs, ATTR_AI_USAGE_PROMPT_TOKENS);
    const v4Out = readCount(attrs, ATTR_AI_USAGE_COMPLETION_TOKENS);
    const none = v5In === undefined && v5Out === undefined && v4In === undefined && v4Out === undefined;
    if (none && !allowEmpty) return null;
    usage.hasTokens = !none;
    const noCache = readCount(attrs, ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS);
    const detailRead = readCount(attrs, ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_READ_TOKENS);
    const detailWrite = readCount(attrs, ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_WRITE_TOKENS);
    const textOut = readCount(attrs, ATTR_AI_USAGE_OUTPUT_TOKEN_DETAILS_TEXT_TOKENS);
    const detailReasoning = readCount(attrs, ATTR_AI_USAGE_OUTPUT_TOKEN_DETAILS_REASONING_TOKENS);
    const v6 =
      noCache !== undefined ||
      detailRead !== undefined ||
      detailWrite !== undefined ||
      textOut !== undefined ||
      detailReasoning !== undefined;
    if (v6) {
      usage.cacheReadTokens = detailRead ?? 0;
      usage.cacheWriteTokens = detailWrite ?? 0;
      usage.inputTokens =
        v5In ?? (noCache !== undefined ? noCache + usage.cacheReadTokens + usage.cacheWriteTokens : 0);
      usage.reasoningTokens = detailReasoning ?? readCount(attrs, ATTR_AI_USAGE_REASONING_TOKENS) ?? 0;
      usage.outputTokens = v5Out ?? (textOut !== undefined ? textOut + usage.reasoningTokens : 0);
      total = readCount(attrs, ATTR_AI_USAGE_TOTAL_TOKENS);
    } else {
      const v5 = v5In !== undefined || v5Out !== undefined;
      usage.inputTokens = (v5 ? v5In : v4In) ?? 0;
      usage.outputTokens = (v5 ? v5Out : v4Out) ?? 0;
      usage.cacheReadTokens = readCount(attrs, ATTR_AI_USAGE_CACHED_INPUT_TOKENS) ?? 0;
      usage.reasoningTokens = readCount(attrs, ATTR_AI_USAGE_REASONING_TOKENS) ?? 0;
      if (isAnthropicFamily(reportedProvider)) {
        const meta = anthropicCacheFromMetadata(attrs[ATTR_AI_RESPONSE_PROVIDER_METADATA]);
        if (usage.cacheReadTokens === 0) usage.cacheReadTokens = meta.read;
        usage.cacheWriteTokens = meta.write;
        const cache = usage.cacheReadTokens + usage.cacheWriteTokens;
        if (cache > 0) {
          usage.inputTokens += cache;
          note(usage, 'input-excluded-cache');
        }
      } else if (v5 && isGoogleFamily(reportedProvider) && usage.reasoningTokens > 0) {
        usage.outputTokens += usage.reasoningTokens;
        note(usage, 'output-excluded-reasoning');
      }
    }
  }
  usage.requestModel = firstString(attrs, N.request_model) ?? firstString(attrs, GEN_AI_NAMES.request_model);
  usage.responseModel = firstString(attrs, N.response_model) ?? firstString(attrs, GEN_AI_NAMES.response_model);
  usage.responseId = firstString(attrs, N.response_id) ?? firstString(attrs, GEN_AI_NAMES.response_id);
  usage.model = usage.responseModel ?? usage.requestModel;
  usage.provider = reportedProvider !== undefined ? otelProviderName(reportedProvider) : undefined;
  usage.operation = embed ? 'embeddings' : 'chat';
  applyUsageCorrections(usage, total);
  return usage;
}

/**
 * Anthropic cache counts from the AI SDK's provider metadata JSON (`{"anthropic":{"cacheCreationInputTokens":…,
 * "cacheReadInputTokens":…}}`). Bounded: metadata over 64 KiB or malformed JSON yields zeros.
 */
function anthropicCacheFromMetadata(value: unknown): { read: number; write: number } {
  const none = { read: 0, write: 0 };
  if (typeof value !== 'string' || value.length > 65_536 || !value.includes('anthropic')) return none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return none;
  }
  if (typeof parsed !== 'object' || parsed === null) return none;
  const a = (parsed as Record<string, unknown>).anthropic;
  if (typeof a !== 'object' || a === null) return none;
  const m = a as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return { read: count(m.cacheReadInputTokens), write: count(m.cacheCreationInputTokens) };
}
