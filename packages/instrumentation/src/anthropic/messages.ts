import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CallPlan } from '../internal/instrument-call.js';
import { roleContentMessages, textParts } from '../internal/messages-content.js';
import type { IteratorObserver } from '../internal/observe-iterator.js';
import { serverOf } from '../internal/server-address.js';
import type { GenAiCall } from '../internal/telemetry.js';
import { type CallOutcome, count, record, type TokenUsage, text } from '../internal/usage.js';

/**
 * Anthropic `usage` in OTel semantics. Anthropic's `input_tokens` EXCLUDES cache reads and writes, so OTel input is
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`; the 1-hour writes are the
 * `ephemeral_1h_input_tokens` part of the writes.
 */
export function anthropicUsage(raw: unknown): TokenUsage | undefined {
  const usage = record(raw);
  if (!usage) return undefined;
  const uncached = count(usage.input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheCreation = count(usage.cache_creation_input_tokens);
  const input =
    uncached === undefined && cacheRead === undefined && cacheCreation === undefined
      ? undefined
      : (uncached ?? 0) + (cacheRead ?? 0) + (cacheCreation ?? 0);
  const oneHour = count(record(usage.cache_creation)?.ephemeral_1h_input_tokens);
  return {
    inputTokens: input,
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheCreation,
    cacheWrite1hTokens: oneHour && oneHour > 0 ? oneHour : undefined,
    webSearchRequests: count(record(usage.server_tool_use)?.web_search_requests),
  };
}

function messageOutcome(value: unknown, usageOverride?: Record<string, unknown>): CallOutcome {
  const message = record(value);
  if (!message) return {};
  const reason = text(message.stop_reason);
  return {
    responseId: text(message.id),
    responseModel: text(message.model),
    finishReasons: reason ? [reason] : [],
    usage: anthropicUsage(usageOverride ?? message.usage),
    outputMessages: [
      { role: 'assistant', parts: textParts(message.content), ...(reason ? { finish_reason: reason } : {}) },
    ],
  };
}

/**
 * A streamed Message: `message_start` carries the message with its input usage, each `message_delta` the stop
 * reason and cumulative usage (output tokens, and on newer APIs the final input, cache and server-tool counts).
 */
class MessageStreamObserver implements IteratorObserver<unknown> {
  private message: Record<string, unknown> | undefined;
  private usage: Record<string, unknown> = {};
  private stopReason: string | undefined;
  private text = '';

  constructor(private readonly call: GenAiCall) {}

  onItem(item: unknown): void {
    const event = record(item);
    if (!event) return;
    if (event.type === 'message_start') {
      this.message = record(event.message);
      this.usage = { ...record(this.message?.usage) };
    } else if (event.type === 'message_delta') {
      for (const [key, value] of Object.entries(record(event.usage) ?? {})) {
        if (value !== null && value !== undefined) this.usage[key] = value;
      }
      this.stopReason = text(record(event.delta)?.stop_reason) ?? this.stopReason;
    } else if (event.type === 'content_block_delta') {
      const delta = record(event.delta);
      if (typeof delta?.text === 'string') this.text += delta.text;
    }
  }

  onEnd(): void {
    const outcome = messageOutcome({ ...this.message, stop_reason: this.stopReason ?? null }, this.usage);
    outcome.outputMessages = [
      {
        role: 'assistant',
        parts: [{ type: 'text', content: this.text }],
        ...(this.stopReason ? { finish_reason: this.stopReason } : {}),
      },
    ];
    if (!this.message) outcome.usage = undefined;
    this.call.succeed(outcome);
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }
}

function requestAttributes(body: Record<string, unknown>): Attributes {
  const a: Attributes = {};
  const num = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) a[name] = value;
  };
  num(ATTR_GEN_AI_REQUEST_MAX_TOKENS, body.max_tokens);
  num(ATTR_GEN_AI_REQUEST_TEMPERATURE, body.temperature);
  num(ATTR_GEN_AI_REQUEST_TOP_P, body.top_p);
  num(ATTR_GEN_AI_REQUEST_TOP_K, body.top_k);
  if (Array.isArray(body.stop_sequences)) {
    a[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = body.stop_sequences.filter((s) => typeof s === 'string');
  }
  if (body.stream === true) a[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return a;
}

/**
 * Plans a `messages.create(body, options)` call (`messages.stream()` calls it too). Returns undefined — no span
 * of ours — when the client records its own GenAI spans (`@anthropic-ai/sdk` ≥ 1.x traces natively unless
 * `openTelemetry: false` / `ANTHROPIC_OPEN_TELEMETRY=false`): the call is then already recorded once.
 */
export function planMessage(resource: unknown, args: unknown[]): CallPlan | undefined {
  const client = record(record(resource)?._client);
  if (client?._tracer) return undefined;
  const body = record(args[0]);
  if (!body) return undefined;
  const requestModel = text(body.model);
  return {
    start: {
      operation: GEN_AI_OPERATION_NAME_VALUE_CHAT,
      provider: GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
      requestModel,
      server: serverOf(client?.baseURL),
      attributes: requestAttributes(body),
      contentAttributes: () => ({
        [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(roleContentMessages(body.messages)),
        ...(body.system !== undefined
          ? { [ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]: JSON.stringify(textParts(body.system)) }
          : {}),
      }),
    },
    stream: body.stream === true,
    outcome: (value) => messageOutcome(value),
    streamObserver: (call) => new MessageStreamObserver(call),
  };
}
