import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CallPlan } from '../internal/instrument-call.js';
import { type OtelMessage, roleContentMessages } from '../internal/messages-content.js';
import type { IteratorObserver } from '../internal/observe-iterator.js';
import type { GenAiCall } from '../internal/telemetry.js';
import {
  type CountTokens,
  estimateChatInputTokens,
  estimateTextTokens,
  loadTokenCounter,
} from '../internal/token-estimate.js';
import { type CallOutcome, count, positive, record, type TokenUsage, text } from '../internal/usage.js';
import type { OpenAIInstrumentationConfig } from '../types.js';
import { openaiCallStart, openaiRequestAttributes } from './request.js';

/**
 * Chat Completions `usage` in OTel semantics (prompt_tokens already include cached tokens, read and written).
 */
export function chatUsage(raw: unknown): TokenUsage | undefined {
  const usage = record(raw);
  if (!usage) return undefined;
  return {
    inputTokens: count(usage.prompt_tokens),
    outputTokens: count(usage.completion_tokens),
    cacheReadTokens: count(record(usage.prompt_tokens_details)?.cached_tokens),
    // GPT-5.6 family and later: cache writes, a subset of prompt_tokens billed at 1.25× input.
    cacheWriteTokens: positive(count(record(usage.prompt_tokens_details)?.cache_write_tokens)),
    reasoningTokens: count(record(usage.completion_tokens_details)?.reasoning_tokens),
  };
}

function chatOutcome(value: unknown): CallOutcome {
  const completion = record(value);
  if (!completion) return {};
  const choices = Array.isArray(completion.choices) ? completion.choices : [];
  const finishReasons: string[] = [];
  for (const choice of choices) {
    const reason = text(record(choice)?.finish_reason);
    if (reason) finishReasons.push(reason);
  }
  return {
    responseId: text(completion.id),
    responseModel: text(completion.model),
    serviceTier: text(completion.service_tier),
    finishReasons,
    usage: chatUsage(completion.usage),
    outputMessages: () => choices.map(outputMessage),
  };
}

function outputMessage(raw: unknown): OtelMessage {
  const choice = record(raw);
  const reason = text(choice?.finish_reason);
  const message = record(choice?.message);
  return {
    role: text(message?.role) ?? 'assistant',
    parts: typeof message?.content === 'string' ? [{ type: 'text', content: message.content }] : [],
    ...(reason ? { finish_reason: reason } : {}),
  };
}

/** Collects a streamed Chat Completion: id, model, tier, finish reasons, usage (final chunk) and the text. */
class ChatStreamObserver implements IteratorObserver<unknown> {
  private id: string | undefined;
  private model: string | undefined;
  private serviceTier: string | undefined;
  private usage: TokenUsage | undefined;
  private readonly finishReasons = new Map<number, string>();
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly call: GenAiCall,
    private readonly messages: unknown,
    private readonly counter: Promise<CountTokens | undefined> | undefined,
  ) {}

  onItem(item: unknown): void {
    const chunk = record(item);
    if (!chunk) return;
    this.id ??= text(chunk.id);
    this.model ??= text(chunk.model);
    this.serviceTier = text(chunk.service_tier) ?? this.serviceTier;
    if (chunk.usage) this.usage = chatUsage(chunk.usage);
    if (!Array.isArray(chunk.choices)) return;
    for (const raw of chunk.choices) {
      const choice = record(raw);
      const index = typeof choice?.index === 'number' ? choice.index : 0;
      const reason = text(choice?.finish_reason);
      if (reason) this.finishReasons.set(index, reason);
      const delta = record(choice?.delta);
      if (!delta) continue;
      let piece = '';
      if (typeof delta.content === 'string') piece += delta.content;
      if (typeof delta.refusal === 'string') piece += delta.refusal;
      if (Array.isArray(delta.tool_calls)) {
        for (const tc of delta.tool_calls) {
          const fn = record(record(tc)?.function);
          if (typeof fn?.name === 'string') piece += fn.name;
          if (typeof fn?.arguments === 'string') piece += fn.arguments;
        }
      }
      if (piece) this.texts.set(index, (this.texts.get(index) ?? '') + piece);
    }
  }

  onEnd(): void {
    const outcome: CallOutcome = {
      responseId: this.id,
      responseModel: this.model,
      serviceTier: this.serviceTier,
      finishReasons: [...this.finishReasons.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
      usage: this.usage,
      outputMessages: () =>
        [...this.texts.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([index, content]) => ({
            role: 'assistant',
            parts: [{ type: 'text', content }],
            ...(this.finishReasons.has(index) ? { finish_reason: this.finishReasons.get(index) } : {}),
          })),
    };
    if (this.usage || !this.counter) {
      this.call.succeed(outcome);
      return;
    }
    // No usage chunk: count locally once the tokenizer is loaded, with the span's end time fixed now.
    this.call.markEnd();
    const counter = this.counter;
    counter.then(
      (countTokens) => {
        if (countTokens) {
          let generated = '';
          for (const piece of this.texts.values()) generated += piece;
          outcome.usage = {
            inputTokens: estimateChatInputTokens(countTokens, this.messages),
            outputTokens: estimateTextTokens(countTokens, generated),
            estimated: true,
          };
        }
        this.call.succeed(outcome);
      },
      () => this.call.succeed(outcome),
    );
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }
}

/** Plans a `chat.completions.create(body, options)` call. */
export function planChatCompletion(
  resource: unknown,
  args: unknown[],
  config: OpenAIInstrumentationConfig,
): CallPlan | undefined {
  const body = record(args[0]);
  if (!body) return undefined;
  const stream = body.stream === true;
  const start = openaiCallStart(resource, GEN_AI_OPERATION_NAME_VALUE_CHAT, body, openaiRequestAttributes(body));
  start.contentAttributes = () => ({
    [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(roleContentMessages(body.messages)),
  });
  let callArgs: unknown[] | undefined;
  let reportsUsage = record(body.stream_options)?.include_usage === true;
  if (stream && !reportsUsage && config.includeUsage && record(body.stream_options)?.include_usage === undefined) {
    callArgs = [{ ...body, stream_options: { ...record(body.stream_options), include_usage: true } }, ...args.slice(1)];
    reportsUsage = true;
  }
  const estimate = stream && !reportsUsage && config.estimateMissingUsage !== false;
  const counter = estimate ? loadTokenCounter(text(body.model)) : undefined;
  return {
    start,
    args: callArgs,
    stream,
    outcome: chatOutcome,
    streamObserver: (call) => new ChatStreamObserver(call, body.messages, counter),
  };
}
