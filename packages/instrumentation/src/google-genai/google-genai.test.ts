import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataFrames, type FakeProvider, startFakeProvider } from '../test-support/fake-provider.js';
import {
  generateContentStreamChunks,
  generateContentThinkingCached,
  internalError,
  resourceExhausted,
} from '../test-support/google-fixtures.js';
import { createHarness, eventually } from '../test-support/telemetry-harness.js';
import { GoogleGenAIInstrumentation } from './instrumentation.js';

const instrumentation = new GoogleGenAIInstrumentation();
const harness = createHarness([instrumentation]);
const require = createRequire(import.meta.url);
const { GoogleGenAI } = require('@google/genai') as typeof import('@google/genai');

let provider: FakeProvider;
beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await harness.shutdown();
});
afterEach(() => harness.reset());

const client = () => new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: provider.url } });

describe('@google/genai', () => {
  it('records no prompt or completion text by default, and both with captureMessageContent', async () => {
    delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    provider.route(':generateContent', { json: generateContentThinkingCached });
    await client().models.generateContent({ model: 'gemini-2.5-flash', contents: 'Explain it.' });
    const plain = harness.genAiSpans()[0]?.attributes ?? {};
    expect(Object.keys(plain).filter((k) => k.endsWith('_messages') || k.endsWith('instructions'))).toEqual([]);
    expect(JSON.stringify(plain)).not.toContain('Explain it.');
    expect(JSON.stringify(plain)).not.toContain('Photosynthesis');

    harness.reset();
    instrumentation.setConfig({ captureMessageContent: true });
    try {
      await client().models.generateContent({ model: 'gemini-2.5-flash', contents: 'Explain it.' });
    } finally {
      instrumentation.setConfig({});
    }
    const captured = harness.genAiSpans()[0]?.attributes ?? {};
    expect(String(captured[ATTR_GEN_AI_INPUT_MESSAGES])).toContain('Explain it.');
    expect(String(captured[ATTR_GEN_AI_OUTPUT_MESSAGES])).toContain('Photosynthesis');
  });

  it('records generateContent with cached input and thoughts counted as output and reasoning', async () => {
    provider.route(':generateContent', { json: generateContentThinkingCached });
    const response = await client().models.generateContent({ model: 'gemini-2.5-flash', contents: 'Explain it.' });
    expect(response.text).toBe('Photosynthesis turns light into chemical energy.');
    const [span] = harness.genAiSpans();
    expect(span?.name).toBe('generate_content gemini-2.5-flash');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: 'generate_content',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'gcp.gemini',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'gemini-2.5-flash',
      [ATTR_GEN_AI_RESPONSE_ID]: 'mKy8aJ2pO4CWz7IPqeHn-Ag',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['STOP'],
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 2310,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 2048,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 95 + 500,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 500,
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
    });
  });

  it('records generateContentStream from the last chunk, passing chunks through', async () => {
    provider.route(':streamGenerateContent', { sse: dataFrames(generateContentStreamChunks, false) });
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Explain.' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('Photosynthesis turns light into energy.');
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.attributes).toMatchObject({
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'gemini-2.5-pro',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 12,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 409,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 400,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['STOP'],
    });
  });

  it('ends the span when the caller stops reading a stream', async () => {
    provider.route(':streamGenerateContent', {
      sse: dataFrames(generateContentStreamChunks.slice(0, 1), false),
      hang: true,
    });
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Explain.' });
    for await (const _chunk of stream) break;
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    expect(harness.genAiSpans()[0]?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it.each([
    [429, resourceExhausted],
    [500, internalError],
  ])('records a %i as an error and passes it through', async (status, body) => {
    provider.route(':generateContent', { status, json: body });
    const error = await client()
      .models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'x',
        config: { httpOptions: { retryOptions: { attempts: 1 } } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(status);
    await eventually(() => expect(harness.genAiSpans()).toHaveLength(1));
    const [span] = harness.genAiSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBe('ApiError');
  });
});
