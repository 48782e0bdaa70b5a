import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CallPlan } from '../internal/instrument-call.js';
import { type OtelMessage, roleContentMessages, textParts } from '../internal/messages-content.js';
import type { IteratorObserver } from '../internal/observe-iterator.js';
import type { GenAiCall } from '../internal/telemetry.js';
import { type CallOutcome, count, positive, record, type TokenUsage, text } from '../internal/usage.js';
import { openaiCallStart, openaiRequestAttributes } from './request.js';

/** Responses API `usage` in OTel semantics (input_tokens include cached tokens, output includes reasoning). */
export function responsesUsage(raw: unknown): TokenUsage | undefined {
  const usage = record(raw);
  if (!usage) return undefined;
  return {
    inputTokens: count(usage.input_tokens),
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: count(record(usage.input_tokens_details)?.cached_tokens),
    // GPT-5.6 family and later: cache writes, a subset of input_tokens billed at 1.25× input.
    cacheWriteTokens: positive(count(record(usage.input_tokens_details)?.cache_write_tokens)),
    reasoningTokens: count(record(usage.output_tokens_details)?.reasoning_tokens),
  };
}

/** The outcome of a Response object (`responses.create`, or the `response` of a stream's terminal event). */
export function responseOutcome(value: unknown): CallOutcome {
  const response = record(value);
  if (!response) return {};
  const status = text(response.status);
  const reason = text(record(response.incomplete_details)?.reason) ?? status;
  const outputMessages: OtelMessage[] = [];
  if (Array.isArray(response.output)) {
    for (const raw of response.output) {
      const item = record(raw);
      if (item?.type === 'message') {
        outputMessages.push({ role: text(item.role) ?? 'assistant', parts: textParts(item.content) });
      }
    }
  }
  return {
    responseId: text(response.id),
    responseModel: text(response.model),
    serviceTier: text(response.service_tier),
    finishReasons: reason ? [reason] : [],
    usage: responsesUsage(response.usage),
    outputMessages,
  };
}

/** Terminal events of a Responses stream; each carries the final Response with its usage. */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

class ResponsesStreamObserver implements IteratorObserver<unknown> {
  private last: unknown;
  private started: unknown;

  constructor(private readonly call: GenAiCall) {}

  onItem(item: unknown): void {
    const event = record(item);
    if (!event) return;
    if (event.type === 'response.created') this.started = event.response;
    else if (typeof event.type === 'string' && TERMINAL_EVENTS.has(event.type)) this.last = event.response;
  }

  onEnd(): void {
    this.call.succeed(responseOutcome(this.last ?? this.started));
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }
}

/** Plans a `responses.create(body, options)` call. */
export function planResponse(resource: unknown, args: unknown[]): CallPlan | undefined {
  const body = record(args[0]);
  if (!body) return undefined;
  const start = openaiCallStart(resource, GEN_AI_OPERATION_NAME_VALUE_CHAT, body, openaiRequestAttributes(body));
  start.contentAttributes = () => ({ [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(roleContentMessages(body.input)) });
  return {
    start,
    stream: body.stream === true,
    outcome: responseOutcome,
    streamObserver: (call) => new ResponsesStreamObserver(call),
  };
}
