/**
 * One recorded span per dialect of the dialect table (conventions/model/dialects.yaml), priced through the cost
 * core with the bundled catalog; every expected amount is computed by hand in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import { createCostCore } from './cost-core.js';
import { AI_SDK_NAMES, GEN_AI_NAMES, OPENINFERENCE_NAMES } from './dialect-table.js';
import { mayBeInference } from './is-inference.js';
import { normalizeInference } from './normalize.js';
import type { AttrMap, SpanRecord } from './record.js';

const core = createCostCore();
const rec = (attributes: AttrMap, name = 'chat'): SpanRecord => ({ name, attributes });

/** `@anthropic-ai/sdk` 1.14 built-in tracing, `messages.create` with a 5-minute and a 1-hour cache write. */
const anthropicSdk: AttrMap = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'claude-sonnet-4-0',
  'server.address': 'api.anthropic.com',
  'gen_ai.response.id': 'msg_01XFDUDYJgAACzvnptvVoYEL',
  'gen_ai.response.model': 'claude-sonnet-4-20250514',
  'gen_ai.usage.input_tokens': 3100,
  'gen_ai.usage.cache_write.input_tokens': 1000,
  'gen_ai.usage.cache_read.input_tokens': 2000,
  'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 600,
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 400,
  'gen_ai.usage.output_tokens': 500,
};

// claude-sonnet-4: $3/M input, $15/M output, $0.30/M cache read, $3.75/M 5-minute write, $6/M 1-hour write.
// 100 uncached × 3 = 300 000 n$; 500 out × 15 = 7 500 000; 2000 read × 0.3 = 600 000;
// 600 × 3.75 = 2 250 000 and 400 × 6 = 2 400 000 → 13 050 000 n$.
const CLAUDE_WITH_1H = 13_050_000;
// Same call, all 1000 writes at the 5-minute rate: 300 000 + 7 500 000 + 600 000 + 3 750 000 = 12 150 000 n$.
const CLAUDE_5M_ONLY = 12_150_000;

describe('dialect table → normalizer → price', () => {
  it('the Anthropic SDK: cache_write (current name) and the 1-hour lifetime priced at their rates', () => {
    const a = core.annotate(rec(anthropicSdk, 'anthropic.messages.create'));
    expect(a?.outcome).toBe('priced');
    expect(a?.usage).toMatchObject({ dialect: 'anthropic-sdk', cacheWriteTokens: 1000, cacheWrite1hTokens: 400 });
    expect(a?.amountNanos).toBe(CLAUDE_WITH_1H);
    expect(a?.usage.responseId).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
  });

  it('OTel current name alone, deprecated name alone, and both together give one write count', () => {
    const current = { ...anthropicSdk };
    delete current['anthropic.usage.cache_creation.ephemeral_5m_input_tokens'];
    delete current['anthropic.usage.cache_creation.ephemeral_1h_input_tokens'];
    const deprecated: Record<string, unknown> = { ...current };
    delete deprecated['gen_ai.usage.cache_write.input_tokens'];
    deprecated['gen_ai.usage.cache_creation.input_tokens'] = 1000;
    expect(core.annotate(rec(current))?.amountNanos).toBe(CLAUDE_5M_ONLY);
    expect(core.annotate(rec(deprecated))?.amountNanos).toBe(CLAUDE_5M_ONLY);
    // A producer writing both (costspan's compat switch): the current one is read, never the sum.
    expect(core.annotate(rec({ ...current, 'gen_ai.usage.cache_creation.input_tokens': 1000 }))?.amountNanos).toBe(
      CLAUDE_5M_ONLY,
    );
    // Before the table read `cache_write`, these 1000 tokens were priced as plain input (−3.8 %).
    expect(CLAUDE_5M_ONLY).not.toBe(300_000 + 1000 * 3000 + 7_500_000 + 600_000);
  });

  it('the Anthropic SDK lifetimes stand for the write count when it is absent', () => {
    const lifetimesOnly = { ...anthropicSdk };
    delete lifetimesOnly['gen_ai.usage.cache_write.input_tokens'];
    const a = core.annotate(rec(lifetimesOnly));
    expect(a?.usage.cacheWriteTokens).toBe(1000);
    expect(a?.amountNanos).toBe(CLAUDE_WITH_1H);
  });

  it('Sentry: dotted-suffix subsets', () => {
    const sentry: AttrMap = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-20250514',
      'gen_ai.usage.input_tokens': 3100,
      'gen_ai.usage.input_tokens.cached': 2000,
      'gen_ai.usage.input_tokens.cache_write': 1000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.usage.output_tokens.reasoning': 120,
    };
    const a = core.annotate(rec(sentry));
    expect(a?.usage).toMatchObject({
      dialect: 'sentry',
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
      reasoningTokens: 120,
    });
    expect(a?.amountNanos).toBe(CLAUDE_5M_ONLY);
  });

  it('per-modality counts: audio input priced at the audio rate where the catalog has one', () => {
    // gemini-2.5-flash: $0.30/M text input, $1/M audio input, $2.50/M output.
    // 600 text × 0.3 = 180 000; 400 audio × 1 = 400 000; 500 out × 2.5 = 1 250 000 → 1 830 000 n$.
    const a = core.annotate(
      rec({
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.audio.input_tokens': 400,
        'gen_ai.usage.text.input_tokens': 600,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.text.output_tokens': 500,
      }),
    );
    expect(a?.usage.inputAudioTokens).toBe(400);
    expect(a?.amountNanos).toBe(1_830_000);
  });

  it('OpenAI GPT-5.6 cache writes at 1.25× input (Chat usage as our instrumentation records it)', () => {
    // gpt-5.6-terra: $2/M input, $2.50/M cache write, $0.20/M cache read, $12/M output.
    // 4000 uncached × 2 = 8 000 000; 2000 writes × 2.5 = 5 000 000; 4000 reads × 0.2 = 800 000;
    // 1000 out × 12 = 12 000 000 → 25 800 000 n$.
    const a = core.annotate(
      rec({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-5.6-terra',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.cache_read.input_tokens': 4000,
        'gen_ai.usage.cache_write.input_tokens': 2000,
        'gen_ai.usage.output_tokens': 1000,
      }),
    );
    expect(a?.attributes['costspan.cost.cache_write']).toBe(0.005);
    expect(a?.amountNanos).toBe(25_800_000);
  });

  it('another tool’s cost is kept, named, and never competed with: OpenLIT, OpenInference, Langfuse', () => {
    const openlit = core.annotate(rec({ ...anthropicSdk, 'gen_ai.usage.cost': 0.0123 }));
    expect(openlit?.outcome).toBe('external');
    expect(openlit?.amountNanos).toBe(12_300_000);
    expect(openlit?.attributes).toEqual({
      'costspan.pricing.status': 'external',
      'costspan.pricing.source': 'openlit:gen_ai.usage.cost',
    });
    const oi = core.annotate(
      rec({
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o',
        'llm.token_count.prompt': 1000,
        'llm.token_count.completion': 500,
        'llm.cost.total': 0.00725,
      }),
    );
    expect(oi?.attributes).toEqual({
      'costspan.pricing.status': 'external',
      'costspan.pricing.source': 'openinference:llm.cost.total',
    });
    expect(oi?.amountNanos).toBe(7_250_000);
    const details = { ...anthropicSdk, 'langfuse.observation.cost_details': '{"input":0.001,"output":0.002}' };
    expect(core.annotate(rec(details))?.amountNanos).toBe(3_000_000);
    const total = { ...anthropicSdk, 'langfuse.observation.cost_details': '{"input":0.001,"total":0.0042}' };
    expect(core.annotate(rec(total))?.attributes['costspan.pricing.source']).toBe(
      'langfuse:langfuse.observation.cost_details',
    );
    expect(core.annotate(rec(total))?.amountNanos).toBe(4_200_000);
  });

  it('an external 0 beside token counts is not a price (OpenLIT writes 0 for unknown models): priced here', () => {
    const a = core.annotate(rec({ ...anthropicSdk, 'gen_ai.usage.cost': 0 }));
    expect(a?.outcome).toBe('priced');
    expect(a?.amountNanos).toBe(CLAUDE_WITH_1H);
  });

  it('a model call that ended without usage is unpriced with reason no_usage, in every dialect', () => {
    const otel = core.annotate(rec({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' }));
    expect(otel?.outcome).toBe('unpriced');
    expect(otel?.attributes).toEqual({ 'costspan.pricing.status': 'unpriced', 'costspan.pricing.reason': 'no_usage' });
    const oi = core.annotate(rec({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' }));
    expect(oi?.reason).toBe('no_usage');
    const aiSdk = core.annotate(
      rec({ 'ai.operationId': 'ai.streamText.doStream', 'ai.model.id': 'gpt-4o' }, 'ai.streamText.doStream'),
    );
    expect(aiSdk?.reason).toBe('no_usage');
    expect(aiSdk?.usage.model).toBe('gpt-4o');
    // A failed call without usage was not billed: no record (not a gap).
    expect(
      core.annotate(rec({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'error.type': '429' })),
    ).toBe(undefined);
    // Not model calls: no record at all.
    expect(core.annotate(rec({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o' }))).toBe(
      undefined,
    );
    expect(core.annotate(rec({ 'gen_ai.operation.name': 'chat' }))).toBe(undefined);
    expect(core.annotate(rec({ 'openinference.span.kind': 'CHAIN' }))).toBe(undefined);
    expect(core.annotate(rec({ 'ai.operationId': 'ai.streamText' }, 'ai.streamText'))).toBe(undefined);
    expect(core.annotate(rec({ 'http.request.method': 'POST' }, 'POST'))).toBe(undefined);
  });
});

describe('the compiled table', () => {
  it('reads each field current names first, deprecated ones after', () => {
    expect(GEN_AI_NAMES.cache_write_tokens).toEqual([
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.usage.input_tokens.cache_write',
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ]);
    expect(GEN_AI_NAMES.input_tokens).toEqual(['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']);
    expect(OPENINFERENCE_NAMES.input_tokens).toEqual(['llm.token_count.prompt']);
    expect(AI_SDK_NAMES.provider).toEqual(['ai.model.provider']);
  });

  it('the fast test lets every dialect’s model-call spans through, and not an HTTP span', () => {
    for (const attrs of [
      { 'gen_ai.usage.input_tokens': 1 },
      { 'gen_ai.usage.output_tokens': 1 },
      { 'gen_ai.operation.name': 'chat' },
      { 'gen_ai.usage.prompt_tokens': 1 },
      { 'llm.token_count.prompt': 1 },
      { 'llm.token_count.total': 1 },
      { 'openinference.span.kind': 'LLM' },
      { 'ai.operationId': 'ai.generateText.doGenerate' },
      { 'ai.usage.inputTokens': 1 },
      { 'ai.usage.promptTokens': 1 },
      { 'ai.usage.tokens': 1 },
      { 'gen_ai.usage.cost.amount': 0.1 },
    ]) {
      expect(mayBeInference(attrs), Object.keys(attrs)[0]).toBe(true);
    }
    expect(mayBeInference({ 'http.request.method': 'POST', 'server.address': 'api.openai.com' })).toBe(false);
  });

  it('a span with only a deprecated name of a field still reads it', () => {
    const u = normalizeInference(rec({ 'gen_ai.usage.prompt_tokens': 10, 'gen_ai.usage.completion_tokens': 5 }));
    expect(u).toMatchObject({ dialect: 'otel-deprecated', inputTokens: 10, outputTokens: 5 });
  });
});
