import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CallPlan } from '../internal/instrument-call.js';
import { type CallOutcome, count, record, text } from '../internal/usage.js';
import { openaiCallStart } from './request.js';

function embeddingsOutcome(value: unknown): CallOutcome {
  const response = record(value);
  const usage = record(response?.usage);
  return {
    responseModel: text(response?.model),
    usage: usage ? { inputTokens: count(usage.prompt_tokens) } : undefined,
  };
}

/** Plans an `embeddings.create(body, options)` call. */
export function planEmbeddings(resource: unknown, args: unknown[]): CallPlan | undefined {
  const body = record(args[0]);
  if (!body) return undefined;
  const attributes: Attributes = {};
  if (typeof body.encoding_format === 'string')
    attributes[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [body.encoding_format];
  if (typeof body.dimensions === 'number') attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = body.dimensions;
  return {
    start: openaiCallStart(resource, GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS, body, attributes),
    stream: false,
    outcome: embeddingsOutcome,
  };
}
