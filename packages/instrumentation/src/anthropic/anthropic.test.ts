import { createRequire } from 'node:module';
import {
  ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS,
  ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
} from '@costspan/semconv';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  invalidRequestError,
  messageCachedWithWebSearch,
  messageStreamEvents,
  overloadedError,
} from '../test-support/anthropic-fixtures.js';
import { eventFrames, type FakeProvider, startFakeProvider } from '../test-support/fake-provider.js';
import { createHarness, eventually } from '../test-support/telemetry-harness.js';
import { AnthropicInstrumentation } from './instrumentation.js';

const instrumentation = new AnthropicInstrumentation();
const harness = createHarness([instrumentation]);
const require = createRequire(import.meta.url);
const { Anthropic, APIError } = require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk');

let provider: FakeProvider;
beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await harness.shutdown();
});
afterEach(() => harness.reset());

// @anthropic-ai/sdk 1.x records its own spans unless told not to; these tests turn that off to see ours.
const client = () =>
  new Anthropic({ apiKey: 'sk-ant-test', baseURL: provider.url, maxRetries: 0, openTelemetry: false });
const ask = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'News?' }] };

describe('@anthropic-ai/sdk', () => {
  it('records all input (uncached + cache read + cache writes), 1-hour writes and web searches', async () => {
    provider.route('/v1/messages', { json: messageCachedWithWebSearch });
    const message = await client().messages.create(ask);
    expect(message).toEqual(messageCachedWithWebSearch);
    const [span] = harness.genAiSpans();
    expect(span?.name).toBe('chat claude-sonnet-4-5');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_PROVIDER_NAME]: 'anthropic',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'claude-sonnet-4-5-20250929',
      [ATTR_GEN_AI_RESPONSE_ID]: messageCachedWithWebSearch.id,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['end_turn'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 120 + 8000 + 2000,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 8000,
      [ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]: 2000,
      [ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS]: 500,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 350,
      [ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS]: 2,
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: provider.port,
    });
    // The deprecated name (semconv 1.40) only under the compatibility switch.
    expect(span?.attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]).toBeUndefined();
    const tokens = await harness.metrics.points(METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
    const input = tokens.find((p) => p.attributes[ATTR_GEN_AI_TOKEN_TYPE] === 'input');
    expect(input?.value).toMatchObject({ sum: 10120 });
  });

  it('records no prompt or completion text by default, and both with captureMessageContent', async () => {
    delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    provider.route('/v1/messages', { json: messageCachedWithWebSearch });
    await client().messages.create(ask);
    const plain = harness.genAiSpans()[0]?.attributes ?? {};
    expect(Object.keys(plain).filter((k) => k.endsWith('_messages') || k.endsWith('instructions'))).toEqual([]);
    expect(JSON.stringify(plain)).not.toContain('News?');

    harness.reset();
    instrumentation.setConfig({ captureMessageContent: true });
    try {
      await client().messages.create(ask);
    } finally {
      instrumentation.setConfig({});
    }
    const captured = harness.genAiSpans()[0]?.attributes ?? {};
    expect(JSON.parse(String(captured[ATTR_GEN_AI_INPUT_MESSAGES]))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'News?' }] },
    ]);
    expect(captured[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeDefined();
  });

  it('writes the deprecated cache_creation name beside cache_write when legacyCacheCreation is on', async () => {
    provider.route('/v1/messages', { json: messageCachedWithWebSearch });
    instrumentation.setConfig({ legacyCacheCreation: true });
    try {
      await client().messages.create(ask);
    } finally {
      instrumentation.setConfig({});
    }
    expect(harness.genAiSpans()[0]?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]: 2000,
      [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: 2000,
    });
  });

  it('records messages.create({ stream: true }) from message_start and message_delta', async () => {
    provider.route('/v1/messages', { sse: eventFrames(messageStreamEvents) });
    const stream = await client().messages.create({ ...ask, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    // The SDK itself drops `ping` events.
    expect(types).toEqual(messageStreamEvents.map((e) => e.type).filter((t) => t !== 'ping'));
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.attributes).toMatchObject({
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'claude-haiku-4-5-20251001',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 25 + 4096,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 4096,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 12,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['end_turn'],
    });
    expect(harness.genAiSpans()[0]?.attributes[ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS]).toBeUndefined();
  });

  it('records messages.stream() once, with finalMessage() unchanged', async () => {
    provider.route('/v1/messages', { sse: eventFrames(messageStreamEvents) });
    const final = await client().messages.stream(ask).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hello! How can I help?' }]);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(12);
  });

  it('ends the span when the caller aborts a stream', async () => {
    provider.route('/v1/messages', { sse: eventFrames(messageStreamEvents.slice(0, 4)), hang: true });
    const stream = await client().messages.create({ ...ask, stream: true });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(25 + 4096);
  });

  it.each([
    [400, invalidRequestError, 'BadRequestError'],
    [529, overloadedError, 'OverloadedError'],
  ])('records a %i with error.type and passes the error through', async (status, body, type) => {
    provider.route('/v1/messages', { status, json: body });
    const error = await client()
      .messages.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBe(type);
  });

  it('leaves a client that traces natively to its own span (one span per call)', async () => {
    provider.route('/v1/messages', { json: messageCachedWithWebSearch });
    const native = new Anthropic({ apiKey: 'sk-ant-test', baseURL: provider.url, maxRetries: 0 });
    await native.messages.create(ask);
    await eventually(() => expect(harness.tracing.spans()).toHaveLength(1));
    expect(harness.genAiSpans()).toHaveLength(0);
    expect(harness.tracing.spans()[0]?.instrumentationScope.name).toBe('com.anthropic.sdk.typescript');
  });
});
