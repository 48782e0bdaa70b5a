import { createTestMetrics } from '@costspan/testing';
import * as shapes from '@costspan/testing/span-shapes';
import { type Attributes, type AttributeValue, context, trace } from '@opentelemetry/api';
import { type ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostSpanProcessor } from './cost-span-processor.js';

/** Every name the processor reads, plus names it writes (so pre-existing cost attributes are fuzzed too). */
const KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.cost.amount',
  'gen_ai.usage.cost.currency',
  'gen_ai.usage.cost.source',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.operation.name',
  'gen_ai.latency.time_in_queue',
  'openai.response.service_tier',
  'costspan.usage.cache_creation_1h.input_tokens',
  'costspan.usage.input_audio_tokens',
  'costspan.pricing.status',
  'costspan.tenant',
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.token_count.total',
  'llm.token_count.prompt_details.cache_read',
  'llm.token_count.completion_details.reasoning',
  'llm.model_name',
  'llm.provider',
  'llm.usage.total_tokens',
  'openinference.span.kind',
  'traceloop.span.kind',
  'ai.operationId',
  'ai.model.id',
  'ai.model.provider',
  'ai.usage.promptTokens',
  'ai.usage.inputTokens',
  'ai.usage.outputTokens',
  'ai.usage.totalTokens',
  'ai.usage.reasoningTokens',
  'ai.usage.cachedInputTokens',
  'ai.usage.inputTokenDetails.noCacheTokens',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
  'ai.usage.tokens',
  'ai.response.providerMetadata',
  'http.request.method',
];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-0', 'o4-mini', 'gemini-2.5-flash', 'mystery', ''];
const NAMES = ['chat', 'ai.generateText', 'ai.generateText.doGenerate', 'ai.embed.doEmbed', 'llm_request', 'GET /'];

const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.integer({ min: -10, max: 5_000_000 }),
  fc.constantFrom(
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    1e-300,
    0.5,
  ),
  fc.double(),
  fc.constantFrom(
    ...MODELS,
    'openai',
    'anthropic.messages',
    'LLM',
    'CHAIN',
    'workflow',
    'invoke_agent',
    'local',
    'provider',
  ),
  fc.constantFrom(
    'ai.generateText.doGenerate',
    'ai.streamText',
    '{"anthropic":{"cacheCreationInputTokens":1e99}}',
    '12',
    '-3',
  ),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** Real convention shapes as starting points, so random overlays reach every pricing path, not just the fast one. */
const BASES: Attributes[] = [{}, ...Object.values(shapes).map((s) => ({ ...s }) as Attributes)];

const spanInput = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })),
  base: fc.nat({ max: BASES.length - 1 }),
  pairs: fc.array(fc.tuple(fc.nat({ max: KEYS.length - 1 }), value), { maxLength: 8 }),
  child: fc.boolean(),
});

const COST_KEYS = [
  'gen_ai.usage.cost.amount',
  'costspan.cost.input',
  'costspan.cost.output',
  'costspan.cost.cache_read',
  'costspan.cost.cache_write',
  'costspan.cost.request',
  'costspan.cost.subtree',
];

describe('CostSpanProcessor fuzz', () => {
  it('never throws from span.end() and never writes a negative, NaN or infinite cost (100k spans)', async () => {
    const metrics = createTestMetrics();
    const bad: string[] = [];
    const provider = new TracerProvider({
      spanProcessors: [new CostSpanProcessor({ meterProvider: metrics.meterProvider })],
    });
    const tracer = provider.getTracer('fuzz');
    const root = tracer.startSpan('root');
    const rootCtx = trace.setSpan(context.active(), root);
    let priced = 0;
    let duplicates = 0;
    fc.assert(
      fc.property(spanInput, ({ name, base, pairs, child }) => {
        const attributes: Attributes = { ...BASES[base] };
        for (const [k, v] of pairs) attributes[KEYS[k] as string] = v;
        const span = child ? tracer.startSpan(name, { attributes }, rootCtx) : tracer.startSpan(name, { attributes });
        try {
          span.end();
        } catch (error) {
          bad.push(`${name}: span.end() threw ${String(error)}`);
        }
        // Every cost attribute the processor wrote (absent from the input, or changed) must be a sane amount.
        const written = (span as unknown as ReadableSpan).attributes;
        for (const key of COST_KEYS) {
          const v = written[key];
          if (v === undefined || sameInput(v, attributes[key])) continue;
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad.push(`${name}: ${key}=${String(v)}`);
        }
        if (written['gen_ai.usage.cost.source'] === 'local' && attributes['gen_ai.usage.cost.source'] !== 'local')
          priced++;
        // The shapes repeat their response ids and usage, so many spans are (rightly) one call's duplicates: they
        // went through pricing and the de-duplication windows too.
        else if (
          written['costspan.pricing.status'] === 'duplicate' &&
          attributes['costspan.pricing.status'] !== 'duplicate'
        )
          duplicates++;
        return true;
      }),
      { numRuns: 100_000 },
    );
    expect(() => root.end()).not.toThrow();
    const subtree = (root as unknown as ReadableSpan).attributes['costspan.cost.subtree'];
    expect(typeof subtree === 'number' && Number.isFinite(subtree) && subtree > 0).toBe(true);
    expect(bad.slice(0, 20)).toEqual([]);
    // The random sets must actually reach pricing, not only the fast path.
    expect(priced).toBeGreaterThan(5_000);
    expect(priced + duplicates).toBeGreaterThan(10_000);
    // No input reached an internal failure path either (those are caught, but would be counted here).
    expect(await metrics.points('costspan.processor.errors')).toEqual([]);
    await metrics.shutdown();
  }, 120_000);
});

/** The SDK copies array values, so an unchanged input array is not the same object. */
function sameInput(written: unknown, input: unknown): boolean {
  if (Object.is(written, input)) return true;
  return Array.isArray(written) && Array.isArray(input) && JSON.stringify(written) === JSON.stringify(input);
}
