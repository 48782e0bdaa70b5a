import {
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  ATTR_LLM_TOKEN_COUNT_PROMPT,
  ATTR_LLM_TOKEN_COUNT_TOTAL,
  ATTR_OPENINFERENCE_SPAN_KIND,
  ATTR_TRACELOOP_SPAN_KIND,
} from '@costspan/semconv';
import {
  ATTR_GEN_AI_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_GEN_AI_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions/incubating';
import {
  AI_MODEL_ID,
  AI_OPERATION_ID,
  AI_USAGE_INPUT_TOKENS,
  AI_USAGE_PROMPT_TOKENS,
  AI_USAGE_TOKENS,
} from './foreign-names.js';
import type { InferenceUsage } from './inference-usage.js';
import { mayBeInference } from './is-inference.js';
import { isAiSdkProviderCall, normalizeAiSdk } from './normalize-ai-sdk.js';
import { normalizeOpenInference } from './normalize-openinference.js';
import { normalizeOtel } from './normalize-otel.js';
import { readAmount, readFirstString, readPort, readString } from './read-attributes.js';
import type { AttrMap, SpanRecord } from './record.js';
import { emptyUsage } from './usage-corrections.js';

/**
 * OTel `gen_ai.operation.name` values that are not model calls. Their spans may repeat the usage of the calls
 * beneath them (an agent sums its steps), so pricing them would double count.
 */
export const NON_INFERENCE_OPERATIONS: ReadonlySet<string> = new Set([
  'invoke_agent',
  'create_agent',
  'execute_tool',
  'invoke_workflow',
  'plan',
  'retrieval',
  'agent_step',
]);

/** OpenLLMetry span kinds that group model calls. */
export const TRACELOOP_GROUP_KINDS: ReadonlySet<string> = new Set(['workflow', 'task', 'agent', 'tool']);

/**
 * Is this span one model call, and with what usage? Returns the usage in OTel GenAI semantics, or `null` for a
 * span that is not an inference (or must not be priced because it repeats its children's usage):
 *
 * - any span without a usage or cost attribute (the allocation-free fast test, first);
 * - OTel agent / workflow / tool / retrieval operations (`invoke_agent` over AI SDK 7's `chat`, …);
 * - the AI SDK's outer spans (`ai.generateText` over `ai.generateText.doGenerate`, `ai.streamText` over
 *   `.doStream`, `ai.embed` over `.doEmbed`);
 * - OpenInference spans whose kind is not `LLM` or `EMBEDDING`; OpenLLMetry workflow / task / agent / tool spans.
 *
 * Dialects are tried most specific first: AI SDK, OpenInference, then OTel GenAI (current, deprecated,
 * OpenLLMetry legacy, vLLM). A cost already on the span (`gen_ai.usage.cost.amount`) is returned in
 * `existingCost`; a span carrying only such a cost is an inference of dialect `provider-cost`.
 */
export function normalizeInference(record: SpanRecord): InferenceUsage | null {
  const attrs = record.attributes;
  if (!mayBeInference(attrs)) return null;
  const operation = readString(attrs, ATTR_GEN_AI_OPERATION_NAME);
  if (operation !== undefined && NON_INFERENCE_OPERATIONS.has(operation)) return null;
  const traceloopKind = readString(attrs, ATTR_TRACELOOP_SPAN_KIND);
  if (traceloopKind !== undefined && TRACELOOP_GROUP_KINDS.has(traceloopKind.toLowerCase())) return null;

  let usage: InferenceUsage | null = null;
  const aiOperation = aiSdkOperationId(record.name, attrs);
  const oiKind = readString(attrs, ATTR_OPENINFERENCE_SPAN_KIND)?.toUpperCase();
  if (aiOperation !== undefined) {
    if (!isAiSdkProviderCall(aiOperation)) return null;
    usage = normalizeAiSdk(aiOperation, attrs);
  } else if (oiKind !== undefined) {
    if (oiKind !== 'LLM' && oiKind !== 'EMBEDDING') return null;
    usage = normalizeOpenInference(attrs, oiKind === 'EMBEDDING');
  } else if (attrs[ATTR_LLM_TOKEN_COUNT_PROMPT] !== undefined || attrs[ATTR_LLM_TOKEN_COUNT_TOTAL] !== undefined) {
    usage = normalizeOpenInference(attrs, false);
  }
  if (usage === null) usage = normalizeOtel(record.name, attrs, operation);

  const amount = readAmount(attrs, ATTR_GEN_AI_USAGE_COST_AMOUNT);
  if (usage === null) {
    if (amount === undefined) return null;
    usage = emptyUsage('provider-cost');
  }
  if (operation !== undefined) usage.operation = operation;
  if (amount !== undefined) {
    usage.existingCost = {
      amount,
      currency: readString(attrs, ATTR_GEN_AI_USAGE_COST_CURRENCY),
      source: readString(attrs, ATTR_GEN_AI_USAGE_COST_SOURCE),
    };
  }
  usage.serviceTier = serviceTier(attrs);
  usage.serverAddress = readString(attrs, ATTR_SERVER_ADDRESS);
  usage.serverPort = readPort(attrs, ATTR_SERVER_PORT);
  return usage;
}

/** The AI SDK operation id (`ai.operationId`, else an `ai.*` span name on a span with AI SDK attributes). */
function aiSdkOperationId(name: string, attrs: AttrMap): string | undefined {
  const id = readString(attrs, AI_OPERATION_ID);
  if (id !== undefined) return id;
  if (
    name.startsWith('ai.') &&
    (attrs[AI_MODEL_ID] !== undefined ||
      attrs[AI_USAGE_INPUT_TOKENS] !== undefined ||
      attrs[AI_USAGE_PROMPT_TOKENS] !== undefined ||
      attrs[AI_USAGE_TOKENS] !== undefined)
  ) {
    return name;
  }
  return undefined;
}

/** The tier actually served wins over the tier requested; `auto` (a request, not a tier) is ignored. */
function serviceTier(attrs: AttrMap): string | undefined {
  const tier =
    readFirstString(
      attrs,
      ATTR_OPENAI_RESPONSE_SERVICE_TIER,
      ATTR_GEN_AI_OPENAI_RESPONSE_SERVICE_TIER,
      ATTR_OPENAI_REQUEST_SERVICE_TIER,
    ) ?? readString(attrs, ATTR_GEN_AI_OPENAI_REQUEST_SERVICE_TIER);
  return tier === undefined || tier === 'auto' ? undefined : tier.toLowerCase();
}
