import {
  ATTR_AI_MODEL_ID,
  ATTR_AI_OPERATION_ID,
  ATTR_AI_USAGE_INPUT_TOKENS,
  ATTR_AI_USAGE_PROMPT_TOKENS,
  ATTR_AI_USAGE_TOKENS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  ATTR_OPENINFERENCE_SPAN_KIND,
  ATTR_TRACELOOP_SPAN_KIND,
} from '@costspan/semconv';
import { ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions/incubating';
import { COST_READS, firstCount, firstString, GEN_AI_NAMES, OPENINFERENCE_NAMES } from './dialect-table.js';
import type { InferenceUsage } from './inference-usage.js';
import { mayBeInference } from './is-inference.js';
import { isAiSdkProviderCall, normalizeAiSdk } from './normalize-ai-sdk.js';
import { normalizeOpenInference } from './normalize-openinference.js';
import { normalizeOtel } from './normalize-otel.js';
import { readAmount, readPort, readString } from './read-attributes.js';
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

/** OTel `gen_ai.operation.name` values of one model call: with a model named, such a span must be priced. */
export const INFERENCE_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
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
 * Dialects are tried most specific first: AI SDK, OpenInference, then the `gen_ai` reader (OTel GenAI current
 * and deprecated, Sentry, the Anthropic SDK, OpenLLMetry, vLLM), every name from the dialect table
 * (`conventions/model/dialects.yaml`). A model call by its kind or operation (AI SDK provider call, OpenInference
 * `LLM` / `EMBEDDING`, an OTel inference operation naming a model) gives a record even without counts
 * (`hasTokens` false). A cost already on the span (`gen_ai.usage.cost.amount`, or another tool's) is returned in
 * `existingCost`; a span carrying only such a cost is an inference of dialect `provider-cost`.
 */
export function normalizeInference(record: SpanRecord): InferenceUsage | null {
  const attrs = record.attributes;
  if (!mayBeInference(attrs)) return null;
  const operation = firstString(attrs, GEN_AI_NAMES.operation);
  if (operation !== undefined && NON_INFERENCE_OPERATIONS.has(operation)) return null;
  const traceloopKind = readString(attrs, ATTR_TRACELOOP_SPAN_KIND);
  if (traceloopKind !== undefined && TRACELOOP_GROUP_KINDS.has(traceloopKind.toLowerCase())) return null;

  let usage: InferenceUsage | null = null;
  const aiOperation = aiSdkOperationId(record.name, attrs);
  const oiKind = readString(attrs, ATTR_OPENINFERENCE_SPAN_KIND)?.toUpperCase();
  // A provider call of the AI SDK and an OpenInference LLM / EMBEDDING span are model calls by their kind: they
  // give a usage record even without counts (hasTokens false), which the core reports as `no_usage`.
  if (aiOperation !== undefined) {
    if (!isAiSdkProviderCall(aiOperation)) return null;
    usage = normalizeAiSdk(aiOperation, attrs, true);
  } else if (oiKind !== undefined) {
    if (oiKind !== 'LLM' && oiKind !== 'EMBEDDING') return null;
    usage = normalizeOpenInference(attrs, oiKind === 'EMBEDDING', true);
  } else if (
    firstCount(attrs, OPENINFERENCE_NAMES.input_tokens) !== undefined ||
    firstCount(attrs, OPENINFERENCE_NAMES.total_tokens) !== undefined
  ) {
    usage = normalizeOpenInference(attrs, false);
  }
  if (usage === null || !usage.hasTokens) {
    // The OTel names (also on the AI SDK's inner spans); a span with an inference operation and a model is a model
    // call even without counts.
    const otel = normalizeOtel(record.name, attrs, operation, usage === null && isOtelModelCall(operation, attrs));
    if (otel !== null && (usage === null || otel.hasTokens)) usage = otel;
  }

  const cost = existingCost(attrs);
  if (usage === null) {
    if (cost === undefined) return null;
    usage = emptyUsage('provider-cost');
  }
  // A call that failed (`error.type`) without usage was not billed: not a gap to report.
  if (!usage.hasTokens && cost === undefined && attrs[ATTR_ERROR_TYPE] !== undefined) return null;
  if (operation !== undefined) usage.operation = operation;
  usage.existingCost = cost;
  usage.serviceTier = serviceTier(attrs);
  usage.serverAddress = readString(attrs, ATTR_SERVER_ADDRESS);
  usage.responseId ??= firstString(attrs, GEN_AI_NAMES.response_id);
  usage.serverPort = readPort(attrs, ATTR_SERVER_PORT);
  return usage;
}

/** An OTel inference operation (`chat`, `embeddings`, …) on a span that names its model. */
function isOtelModelCall(operation: string | undefined, attrs: AttrMap): boolean {
  return (
    operation !== undefined &&
    INFERENCE_OPERATIONS.has(operation) &&
    (firstString(attrs, GEN_AI_NAMES.request_model) !== undefined ||
      firstString(attrs, GEN_AI_NAMES.response_model) !== undefined)
  );
}

/**
 * A cost already on the span, from the `cost` reader of the dialect table in table order:
 * `gen_ai.usage.cost.amount` (with its currency and source), else another tool's cost — OpenLIT
 * `gen_ai.usage.cost`, OpenInference `llm.cost.total`, Langfuse `langfuse.observation.cost_details` (a JSON object
 * of USD amounts: its `total`, else the sum of its entries) — with the attribute and tool it came from.
 */
function existingCost(attrs: AttrMap): InferenceUsage['existingCost'] {
  for (let i = 0; i < COST_READS.length; i++) {
    const read = COST_READS[i]!;
    const value = attrs[read.name];
    if (value === undefined) continue;
    const amount = read.field === 'cost_details' ? costDetailsTotal(value) : readAmount(attrs, read.name);
    if (amount === undefined) continue;
    if (read.name === ATTR_GEN_AI_USAGE_COST_AMOUNT) {
      return {
        amount,
        currency: readString(attrs, ATTR_GEN_AI_USAGE_COST_CURRENCY),
        source: readString(attrs, ATTR_GEN_AI_USAGE_COST_SOURCE),
      };
    }
    return { amount, currency: 'USD', attribute: read.name, producer: read.producers[0] };
  }
  return undefined;
}

/** Langfuse cost details: `total`, else the sum of the entries; bounded (64 KiB), malformed JSON is absent. */
function costDetailsTotal(value: unknown): number | undefined {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.length > 65_536) return undefined;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = parsed as Record<string, unknown>;
  const amount = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const total = amount(entries.total);
  if (total !== undefined) return total;
  let sum = 0;
  let any = false;
  for (const key in entries) {
    const v = amount(entries[key]);
    if (v !== undefined) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : undefined;
}

/** The AI SDK operation id (`ai.operationId`, else an `ai.*` span name on a span with AI SDK attributes). */
function aiSdkOperationId(name: string, attrs: AttrMap): string | undefined {
  const id = readString(attrs, ATTR_AI_OPERATION_ID);
  if (id !== undefined) return id;
  if (
    name.startsWith('ai.') &&
    (attrs[ATTR_AI_MODEL_ID] !== undefined ||
      attrs[ATTR_AI_USAGE_INPUT_TOKENS] !== undefined ||
      attrs[ATTR_AI_USAGE_PROMPT_TOKENS] !== undefined ||
      attrs[ATTR_AI_USAGE_TOKENS] !== undefined)
  ) {
    return name;
  }
  return undefined;
}

/** The tier actually served wins over the tier requested; `auto` (a request, not a tier) is ignored. */
function serviceTier(attrs: AttrMap): string | undefined {
  const tier = firstString(attrs, GEN_AI_NAMES.service_tier) ?? firstString(attrs, GEN_AI_NAMES.request_service_tier);
  return tier === undefined || tier === 'auto' ? undefined : tier.toLowerCase();
}
