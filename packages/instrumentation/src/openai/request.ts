import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
} from '@opentelemetry/semantic-conventions/incubating';
import { serverOf } from '../internal/server-address.js';
import type { CallStart } from '../internal/telemetry.js';
import { record, text } from '../internal/usage.js';
import { openaiProvider } from './provider.js';

/** The request attributes common to the OpenAI APIs, from a request body. */
export function openaiRequestAttributes(body: Record<string, unknown>): Attributes {
  const a: Attributes = {};
  const num = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) a[name] = value;
  };
  num(ATTR_GEN_AI_REQUEST_MAX_TOKENS, body.max_completion_tokens ?? body.max_output_tokens ?? body.max_tokens);
  num(ATTR_GEN_AI_REQUEST_TEMPERATURE, body.temperature);
  num(ATTR_GEN_AI_REQUEST_TOP_P, body.top_p);
  num(ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, body.frequency_penalty);
  num(ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, body.presence_penalty);
  num(ATTR_GEN_AI_REQUEST_SEED, body.seed);
  if (typeof body.n === 'number' && body.n !== 1) a[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = body.n;
  if (typeof body.stop === 'string') a[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = [body.stop];
  else if (Array.isArray(body.stop))
    a[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = body.stop.filter((s) => typeof s === 'string');
  const tier = text(body.service_tier);
  if (tier) a[ATTR_OPENAI_REQUEST_SERVICE_TIER] = tier;
  if (body.stream === true) a[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return a;
}

/** The start of a call made through an `openai` resource (`this` of the patched method). */
export function openaiCallStart(
  resource: unknown,
  operation: string,
  body: Record<string, unknown>,
  attributes: Attributes,
): CallStart {
  const client = record(record(resource)?._client);
  const server = serverOf(client?.baseURL);
  return {
    operation,
    provider: openaiProvider(server?.address),
    requestModel: text(body.model),
    server,
    attributes,
  };
}
