import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI,
  GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CallPlan } from '../internal/instrument-call.js';
import type { OtelMessage, OtelPart } from '../internal/messages-content.js';
import type { IteratorObserver } from '../internal/observe-iterator.js';
import { serverOf } from '../internal/server-address.js';
import type { GenAiCall } from '../internal/telemetry.js';
import { type CallOutcome, count, record, type TokenUsage, text } from '../internal/usage.js';

/**
 * Gemini `usageMetadata` in OTel semantics: input = promptTokenCount (cached included) + toolUsePromptTokenCount;
 * output = candidatesTokenCount + thoughtsTokenCount (thoughts are billed as output but not inside candidates);
 * reasoning = thoughtsTokenCount.
 */
export function geminiUsage(raw: unknown): TokenUsage | undefined {
  const usage = record(raw);
  if (!usage) return undefined;
  const prompt = count(usage.promptTokenCount);
  const toolPrompt = count(usage.toolUsePromptTokenCount);
  const candidates = count(usage.candidatesTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  return {
    inputTokens: prompt === undefined && toolPrompt === undefined ? undefined : (prompt ?? 0) + (toolPrompt ?? 0),
    outputTokens: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    cacheReadTokens: count(usage.cachedContentTokenCount),
    reasoningTokens: thoughts,
  };
}

function partsOf(content: unknown): OtelPart[] {
  const parts = record(content)?.parts;
  if (!Array.isArray(parts)) return [];
  return parts.map((p) => {
    const part = record(p);
    return typeof part?.text === 'string' ? { type: 'text', content: part.text } : { type: 'blob' };
  });
}

function outcomeOf(responses: unknown[]): CallOutcome {
  let id: string | undefined;
  let model: string | undefined;
  let usage: unknown;
  const reasons = new Map<number, string>();
  const texts = new Map<number, OtelPart[]>();
  for (const value of responses) {
    const response = record(value);
    if (!response) continue;
    id ??= text(response.responseId);
    model = text(response.modelVersion) ?? model;
    if (response.usageMetadata) usage = response.usageMetadata;
    if (!Array.isArray(response.candidates)) continue;
    for (const [i, raw] of response.candidates.entries()) {
      const candidate = record(raw);
      const index = typeof candidate?.index === 'number' ? candidate.index : i;
      const reason = text(candidate?.finishReason);
      if (reason) reasons.set(index, reason);
      texts.set(index, [...(texts.get(index) ?? []), ...partsOf(candidate?.content)]);
    }
  }
  const outputMessages: OtelMessage[] = [...texts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, parts]) => ({
      role: 'model',
      parts,
      ...(reasons.has(index) ? { finish_reason: reasons.get(index) } : {}),
    }));
  return {
    responseId: id,
    responseModel: model,
    finishReasons: [...reasons.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    usage: geminiUsage(usage),
    outputMessages,
  };
}

/** Streamed chunks each carry the usage so far; the last one seen is the total. */
class GenerateContentStreamObserver implements IteratorObserver<unknown> {
  private readonly chunks: unknown[] = [];
  constructor(
    private readonly call: GenAiCall,
    private readonly keepAll: boolean,
  ) {}

  onItem(item: unknown): void {
    if (this.keepAll || this.chunks.length === 0) this.chunks.push(item);
    else this.chunks[1] = item;
  }

  onEnd(): void {
    this.call.succeed(outcomeOf(this.chunks));
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }
}

function requestAttributes(config: Record<string, unknown> | undefined): Attributes {
  const a: Attributes = {};
  if (!config) return a;
  const num = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) a[name] = value;
  };
  num(ATTR_GEN_AI_REQUEST_MAX_TOKENS, config.maxOutputTokens);
  num(ATTR_GEN_AI_REQUEST_TEMPERATURE, config.temperature);
  num(ATTR_GEN_AI_REQUEST_TOP_P, config.topP);
  num(ATTR_GEN_AI_REQUEST_TOP_K, config.topK);
  if (Array.isArray(config.stopSequences)) {
    a[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = config.stopSequences.filter((s) => typeof s === 'string');
  }
  return a;
}

/** Plans one model call of `models.generateContent` / `generateContentStream` (`this` is the Models instance). */
export function planGenerateContent(models: unknown, args: unknown[], stream: boolean, keepContent: boolean) {
  const params = record(args[0]);
  if (!params) return undefined;
  const apiClient = record(record(models)?.apiClient);
  const vertex = typeof apiClient?.isVertexAI === 'function' && apiClient.isVertexAI.call(apiClient) === true;
  const baseUrl = typeof apiClient?.getBaseUrl === 'function' ? apiClient.getBaseUrl.call(apiClient) : undefined;
  const rawModel = text(params.model);
  const requestModel = rawModel?.replace(/^(publishers\/google\/)?models\//, '');
  const plan: CallPlan = {
    start: {
      operation: GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
      provider: vertex ? GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI : GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI,
      requestModel,
      server: serverOf(baseUrl),
      attributes: requestAttributes(record(params.config)),
      contentAttributes: () => ({ [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(inputMessages(params.contents)) }),
    },
    stream,
    outcome: (value) => outcomeOf([value]),
    streamObserver: (call) => new GenerateContentStreamObserver(call, keepContent),
  };
  return plan;
}

function inputMessages(contents: unknown): OtelMessage[] {
  if (typeof contents === 'string') return [{ role: 'user', parts: [{ type: 'text', content: contents }] }];
  const list = Array.isArray(contents) ? contents : [contents];
  return list.map((c) =>
    typeof c === 'string'
      ? { role: 'user', parts: [{ type: 'text', content: c }] }
      : { role: text(record(c)?.role) ?? 'user', parts: partsOf(c) },
  );
}
