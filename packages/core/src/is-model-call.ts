import {
  ATTR_AI_MODEL_ID,
  ATTR_AI_OPERATION_ID,
  ATTR_LLM_MODEL_NAME,
  ATTR_OPENINFERENCE_SPAN_KIND,
  ATTR_TRACELOOP_SPAN_KIND,
} from '@costspan/semconv';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
} from '@opentelemetry/semantic-conventions/incubating';
import { INFERENCE_OPERATIONS, NON_INFERENCE_OPERATIONS, TRACELOOP_GROUP_KINDS } from './normalize.js';
import { isAiSdkProviderCall } from './normalize-ai-sdk.js';
import type { AttrMap } from './record.js';

/**
 * At span START (before any usage is known): could this span be one model call? Used to decide which spans
 * occupy a GPU node, so it must leave out what shares a node's address or host without being a request on it:
 * the HTTP client span beneath an OpenAI-compatible call (same `server.address`), agent / workflow / tool spans
 * and the AI SDK's outer spans (they wrap the call), and every other span on the node's host. True for spans
 * that name a model or a GenAI provider in any supported convention. A handful of property reads; allocates
 * nothing except for OpenLLMetry spans that carry a span kind.
 */
export function mayBeModelCall(name: string, attrs: AttrMap): boolean {
  const operation = attrs[ATTR_GEN_AI_OPERATION_NAME];
  if (typeof operation === 'string') return !NON_INFERENCE_OPERATIONS.has(operation);
  const aiOperation = attrs[ATTR_AI_OPERATION_ID];
  if (typeof aiOperation === 'string') return isAiSdkProviderCall(aiOperation);
  if (attrs[ATTR_AI_MODEL_ID] !== undefined && name.startsWith('ai.')) return isAiSdkProviderCall(name);
  const oiKind = attrs[ATTR_OPENINFERENCE_SPAN_KIND];
  if (typeof oiKind === 'string') {
    return oiKind === 'LLM' || oiKind === 'EMBEDDING' || oiKind === 'llm' || oiKind === 'embedding';
  }
  const traceloopKind = attrs[ATTR_TRACELOOP_SPAN_KIND];
  if (typeof traceloopKind === 'string' && TRACELOOP_GROUP_KINDS.has(traceloopKind.toLowerCase())) return false;
  return (
    attrs[ATTR_GEN_AI_REQUEST_MODEL] !== undefined ||
    attrs[ATTR_GEN_AI_RESPONSE_MODEL] !== undefined ||
    attrs[ATTR_GEN_AI_PROVIDER_NAME] !== undefined ||
    attrs[ATTR_GEN_AI_SYSTEM] !== undefined ||
    attrs[ATTR_LLM_MODEL_NAME] !== undefined
  );
}

/**
 * At span START: is this span certainly one model call? An OTel inference operation (`chat`, `text_completion`,
 * `generate_content`, `embeddings`) naming a model, an AI SDK provider call (`.doGenerate`, `.doStream`,
 * `.doEmbed`), or an OpenInference `LLM` / `EMBEDDING` span. Used to track open model calls, so that a model
 * call inside another is priced once whatever the end order. A few property reads, no allocation.
 */
export function isDefiniteModelCall(name: string, attrs: AttrMap): boolean {
  const operation = attrs[ATTR_GEN_AI_OPERATION_NAME];
  if (typeof operation === 'string') {
    return (
      INFERENCE_OPERATIONS.has(operation) &&
      (attrs[ATTR_GEN_AI_REQUEST_MODEL] !== undefined || attrs[ATTR_GEN_AI_RESPONSE_MODEL] !== undefined)
    );
  }
  const aiOperation = attrs[ATTR_AI_OPERATION_ID];
  if (typeof aiOperation === 'string') return isAiSdkProviderCall(aiOperation);
  if (attrs[ATTR_AI_MODEL_ID] !== undefined && name.startsWith('ai.')) return isAiSdkProviderCall(name);
  const oiKind = attrs[ATTR_OPENINFERENCE_SPAN_KIND];
  return oiKind === 'LLM' || oiKind === 'EMBEDDING' || oiKind === 'llm' || oiKind === 'embedding';
}
