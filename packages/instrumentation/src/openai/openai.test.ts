import { createRequire } from 'node:module';
import { ATTR_COSTSPAN_USAGE_ESTIMATED, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS } from '@costspan/semconv';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataFrames, eventFrames, type FakeProvider, startFakeProvider } from '../test-support/fake-provider.js';
import {
  chatCompletionCachedReasoning,
  chatCompletionGpt56CacheWrite,
  chatStreamChunks,
  chatStreamUsageChunk,
  embeddingsResponse,
  rateLimitError,
  responseCompleted,
  responseGpt56CacheWrite,
  responseStreamEvents,
  serverError,
} from '../test-support/openai-fixtures.js';
import { createHarness, eventually } from '../test-support/telemetry-harness.js';
import { OpenAIInstrumentation } from './instrumentation.js';

const instrumentation = new OpenAIInstrumentation();
const harness = createHarness([instrumentation]);
const require = createRequire(import.meta.url);
// openai 6 is loaded through require-in-the-middle (the real hook); openai 7 is installed under the alias
// `openai-v7`, which the hook does not match by name, so the same module definition patches it directly.
const openai6 = require('openai');
const openai7 = require('openai-v7');
for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.(openai7, '7.57.0');

type OpenAIModule = typeof import('openai');
let provider: FakeProvider;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await harness.shutdown();
});
afterEach(() => {
  harness.reset();
  instrumentation.setConfig({});
  delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
});

const versions: Array<[string, OpenAIModule]> = [
  ['openai 6', openai6],
  ['openai 7', openai7],
];

describe.each(versions)('%s', (_label, mod) => {
  const client = () => new mod.OpenAI({ apiKey: 'sk-test', baseURL: `${provider.url}/v1`, maxRetries: 0 });

  it('records GPT-5.6 cache writes (Chat and Responses) under gen_ai.usage.cache_write.input_tokens', async () => {
    provider.route('/chat/completions', { json: chatCompletionGpt56CacheWrite });
    await client().chat.completions.create({ model: 'gpt-5.6-terra', messages: [{ role: 'user', content: 'Go' }] });
    provider.route('/responses', { json: responseGpt56CacheWrite });
    await client().responses.create({ model: 'gpt-5.6-sol', input: 'Go' });
    const [chat, resp] = harness.genAiSpans();
    expect(chat?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10000,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 4000,
      [ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]: 2000,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 1000,
    });
    expect(resp?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10000,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 4000,
      [ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]: 2000,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 200,
    });
    // Earlier models report no writes: nothing is written (a write count of 0 is not recorded either).
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    await client().chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'Go' }] });
    expect(harness.genAiSpans()[2]?.attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]).toBeUndefined();
  });

  it('records a chat completion with cached and reasoning tokens, tier, model, id and server', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const completion = await client().chat.completions.create({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    expect(completion).toEqual(chatCompletionCachedReasoning);
    const [span] = harness.genAiSpans();
    expect(span?.name).toBe('chat o4-mini');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'o4-mini',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'o4-mini-2025-04-16',
      [ATTR_GEN_AI_RESPONSE_ID]: chatCompletionCachedReasoning.id,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 2006,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 1920,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 300,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 256,
      [ATTR_OPENAI_RESPONSE_SERVICE_TIER]: 'default',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: provider.port,
    });
    expect(span?.attributes[ATTR_COSTSPAN_USAGE_ESTIMATED]).toBeUndefined();
    const tokens = await harness.metrics.points(METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
    const byType = Object.fromEntries(
      tokens.map((p) => [p.attributes[ATTR_GEN_AI_TOKEN_TYPE], (p.value as { sum: number }).sum]),
    );
    expect(byType).toEqual({ input: 2006, output: 300 });
    expect(tokens[0]?.attributes).toMatchObject({
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'o4-mini-2025-04-16',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
    });
    const durations = await harness.metrics.points(METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(durations).toHaveLength(1);
    expect(durations[0]?.value).toMatchObject({ count: 1 });
  });

  it('keeps withResponse() working and leaves message content out by default', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const { data, response } = await client()
      .chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'secret prompt' }] })
      .withResponse();
    expect(data.id).toBe(chatCompletionCachedReasoning.id);
    expect(response.status).toBe(200);
    const [span] = harness.genAiSpans();
    expect(span?.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBeUndefined();
    expect(span?.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeUndefined();
    expect(JSON.stringify(span?.attributes)).not.toContain('secret prompt');
  });

  it('ends the span when the caller only reads the raw response, leaving the body to the caller', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const response = await client()
      .chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }] })
      .asResponse();
    expect(response.status).toBe(200);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(await response.json()).toEqual(chatCompletionCachedReasoning);
    const [span] = harness.genAiSpans();
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_REQUEST_MODEL]: 'o4-mini',
      [ATTR_SERVER_PORT]: provider.port,
    });
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();
    const durations = await harness.metrics.points(METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(durations[0]?.value).toMatchObject({ count: 1 });
  });

  it('records usage when withResponse() reads both the body and the raw response', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const { data } = await client()
      .chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.usage?.prompt_tokens).toBe(2006);
    await new Promise((r) => setTimeout(r, 20));
    expect(harness.genAiSpans()).toHaveLength(1);
    expect(harness.genAiSpans()[0]?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(2006);
  });

  it('leaves a failure nobody handles unhandled, and adds none to a handled one', async () => {
    provider.route('/chat/completions', { status: 500, json: serverError });
    const unhandled: unknown[] = [];
    const listeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', (reason) => unhandled.push(reason));
    try {
      const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
      const handled = await client()
        .chat.completions.create(body)
        .catch((e: unknown) => e);
      expect(handled).toBeInstanceOf(mod.APIError);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      void client().chat.completions.create(body);
      await eventually(() => expect(unhandled).toHaveLength(1));
      expect(unhandled[0]).toBeInstanceOf(mod.InternalServerError);
      await eventually(() => expect(harness.genAiSpans()).toHaveLength(2));
      for (const span of harness.genAiSpans()) expect(span.attributes[ATTR_ERROR_TYPE]).toBe('InternalServerError');
    } finally {
      process.removeAllListeners('unhandledRejection');
      for (const listener of listeners) process.on('unhandledRejection', listener);
    }
  });

  it('records message content when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'true';
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    await client().chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'Capital?' }] });
    const [span] = harness.genAiSpans();
    expect(JSON.parse(String(span?.attributes[ATTR_GEN_AI_INPUT_MESSAGES]))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Capital?' }] },
    ]);
    expect(JSON.parse(String(span?.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Paris is the capital of France.' }],
        finish_reason: 'stop',
      },
    ]);
  });

  it('ends a stream span with the usage of the final chunk, passing every chunk through', async () => {
    provider.route('/chat/completions', { sse: dataFrames([...chatStreamChunks, chatStreamUsageChunk]) });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(stream.controller).toBeInstanceOf(AbortController);
    const received: unknown[] = [];
    for await (const chunk of stream) received.push(chunk);
    expect(received).toEqual([...chatStreamChunks, chatStreamUsageChunk]);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1534,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 1408,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 9,
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
      [ATTR_OPENAI_RESPONSE_SERVICE_TIER]: 'default',
    });
    expect(span?.attributes[ATTR_COSTSPAN_USAGE_ESTIMATED]).toBeUndefined();
  });

  it('estimates usage locally, flagged, when a stream reports none', async () => {
    provider.route('/chat/completions', { sse: dataFrames(chatStreamChunks) });
    const messages = [{ role: 'user' as const, content: 'Capital of France?' }];
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.attributes[ATTR_COSTSPAN_USAGE_ESTIMATED]).toBe(true);
    expect(span?.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(countTokens(text));
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(
      3 + 3 + countTokens('user') + countTokens('Capital of France?'),
    );
    expect(provider.received.at(-1)?.body.stream_options).toBeUndefined();
  });

  it('with includeUsage, asks for usage and the caller sees the extra final chunk', async () => {
    instrumentation.setConfig({ includeUsage: true });
    provider.route('/chat/completions', { sse: dataFrames([...chatStreamChunks, chatStreamUsageChunk]) });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
    });
    const received: Array<{ choices: unknown[] }> = [];
    for await (const chunk of stream) received.push(chunk);
    expect(provider.received.at(-1)?.body.stream_options).toEqual({ include_usage: true });
    expect(received.at(-1)?.choices).toEqual([]);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(1534);
  });

  it('ends the span when the caller breaks out of a stream, and when it aborts one', async () => {
    provider.route('/chat/completions', { sse: dataFrames(chatStreamChunks.slice(0, 2), false), hang: true });
    const first = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
    });
    for await (const _chunk of first) break;
    const second = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
    });
    let seen = 0;
    for await (const _chunk of second) {
      seen++;
      if (seen === 2) second.controller.abort();
    }
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(2));
    for (const span of harness.genAiSpans()) {
      expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(span.attributes[ATTR_COSTSPAN_USAGE_ESTIMATED]).toBe(true);
    }
  });

  it('keeps tee() working and records the call once', async () => {
    provider.route('/chat/completions', { sse: dataFrames([...chatStreamChunks, chatStreamUsageChunk]) });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const [left, right] = stream.tee();
    const a: unknown[] = [];
    const b: unknown[] = [];
    for await (const c of left) a.push(c);
    for await (const c of right) b.push(c);
    expect(a).toEqual(b);
    expect(a).toHaveLength(chatStreamChunks.length + 1);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
  });

  it.each([
    [429, rateLimitError, 'RateLimitError'],
    [500, serverError, 'InternalServerError'],
  ])('records a %i as an error with error.type and passes the rejection through', async (status, body, type) => {
    provider.route('/chat/completions', { status, json: body });
    const error = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.APIError);
    expect((error as { status: number }).status).toBe(status);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBe(type);
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBeUndefined();
    const [duration] = await harness.metrics.points(METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(duration?.attributes[ATTR_ERROR_TYPE]).toBe(type);
  });

  it('records responses.create with the flex tier, cached input and reasoning output', async () => {
    provider.route('/responses', { json: responseCompleted });
    const response = await client().responses.create({ model: 'gpt-5-mini', input: 'Say hello in French' });
    expect(response.output_text).toBe('Bonjour!');
    const [span] = harness.genAiSpans();
    expect(span?.name).toBe('chat gpt-5-mini');
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-5-mini-2025-08-07',
      [ATTR_GEN_AI_RESPONSE_ID]: responseCompleted.id,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['completed'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 3120,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 3072,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 706,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 704,
      [ATTR_OPENAI_RESPONSE_SERVICE_TIER]: 'flex',
    });
  });

  it('records a streamed response from its response.completed event', async () => {
    provider.route('/responses', { sse: eventFrames(responseStreamEvents) });
    const stream = await client().responses.create({ model: 'gpt-5-mini', input: 'Say hello', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(responseStreamEvents.map((e) => e.type));
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 3120,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 706,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 704,
    });
  });

  it('records embeddings.create', async () => {
    provider.route('/embeddings', { json: embeddingsResponse });
    const result = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello world',
      encoding_format: 'float',
    });
    expect(result.data[0]?.embedding).toHaveLength(3);
    const [span] = harness.genAiSpans();
    expect(span?.name).toBe('embeddings text-embedding-3-small');
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(8);
    expect(span?.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBeUndefined();
  });

  it('makes no second span when another instrumentation already records the call', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const other = harness.tracing.provider.getTracer('@opentelemetry/instrumentation-openai');
    await other.startActiveSpan(
      'chat o4-mini',
      { kind: SpanKind.CLIENT, attributes: { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT } },
      async (span) => {
        await client().chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }] });
        span.end();
      },
    );
    expect(harness.genAiSpans()).toHaveLength(0);
    expect(harness.tracing.spans()).toHaveLength(1);
  });

  it('is a child of the caller span', async () => {
    provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
    const tracer = trace.getTracer('app');
    await tracer.startActiveSpan('handle request', async (parent) => {
      await client().chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }] });
      parent.end();
    });
    const [span] = harness.genAiSpans();
    const parent = harness.tracing.span('handle request');
    expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });
});
