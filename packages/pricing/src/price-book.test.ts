import { describe, expect, it } from 'vitest';
import { createPriceBook } from './price-book.js';
import type { PricedResult, PriceRequest, PriceResult } from './types.js';

const book = createPriceBook();

function priced(result: PriceResult): PricedResult {
  if (result.status === 'unpriced') throw new Error(`expected a price, got unpriced: ${result.reason}`);
  return result;
}

const price = (request: PriceRequest) => priced(book.price(request));
const AFTER_O3_CUT = new Date('2025-07-01T00:00:00Z');

describe('price book — public list prices', () => {
  it('prices gpt-4o at $2.50 in / $10 out per million', () => {
    const result = price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 500 } });
    expect(result).toMatchObject({
      status: 'priced',
      amount: 0.0075,
      currency: 'USD',
      provider: 'openai',
      model: 'gpt-4o',
    });
    expect(result.source).toBe('@pydantic/genai-prices@0.1.8');
    expect(result.serviceTier).toBe('default');
    expect(result.tier).toBeUndefined();
  });

  it('charges OpenAI cached input at the cached rate, once ($1.25 vs $2.50)', () => {
    const result = price({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 400 },
    });
    expect(result.components).toEqual({ input: 0.0015, output: 0.005, cacheRead: 0.0005, cacheWrite: 0, request: 0 });
    expect(result.amount).toBe(0.007);
    expect(result.nanos).toEqual({
      amount: 7_000_000,
      input: 1_500_000,
      output: 5_000_000,
      cacheRead: 500_000,
      cacheWrite: 0,
      request: 0,
    });
  });

  it('charges Anthropic cache reads at 0.1×, 5-minute writes at 1.25× and 1-hour writes at 2× the input rate', () => {
    const result = price({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: {
        inputTokens: 10_000,
        outputTokens: 1000,
        cacheReadTokens: 2000,
        cacheWriteTokens: 3000,
        cacheWrite1hTokens: 1000,
      },
    });
    // uncached 5000 × $3 + read 2000 × $0.30 + 5m write 2000 × $3.75 + 1h write 1000 × $6 + output 1000 × $15
    expect(result.components).toEqual({
      input: 0.015,
      output: 0.015,
      cacheRead: 0.0006,
      cacheWrite: 0.0135,
      request: 0,
    });
    expect(result.amount).toBe(0.0441);
    expect(result.model).toBe('claude-sonnet-4-0');
  });

  it('bills reasoning tokens inside output at the output rate (o3, after the cut: $2 / $8)', () => {
    const result = price({
      model: 'o3',
      usage: { inputTokens: 1000, outputTokens: 3000, reasoningTokens: 2500 },
      timestamp: AFTER_O3_CUT,
    });
    expect(result.components.output).toBe(0.024);
    expect(result.amount).toBe(0.026);
  });

  it('bills Gemini thoughts, which instrumentation adds to output tokens, at the output rate', () => {
    // gemini-2.5-flash: $0.30 in, $2.50 out; 500 candidate + 1000 thought tokens = 1500 output
    const result = price({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 1000, outputTokens: 1500, reasoningTokens: 1000 },
    });
    expect(result.components.output).toBe(0.00375);
    expect(result.amount).toBe(0.00405);
  });

  it('switches the WHOLE Gemini 2.5 Pro request to the long-context rate above 200K input tokens', () => {
    const above = price({
      provider: 'gcp.vertex_ai',
      model: 'gemini-2.5-pro',
      usage: { inputTokens: 200_001, outputTokens: 1000 },
    });
    // 200,001 × $2.50/M + 1000 × $15/M
    expect(above.components.input).toBe(0.5000025);
    expect(above.components.output).toBe(0.015);
    expect(above.amount).toBe(0.5150025);
    expect(above.tier).toBe('input>200000');

    const exactly = price({
      provider: 'gcp.vertex_ai',
      model: 'gemini-2.5-pro',
      usage: { inputTokens: 200_000, outputTokens: 1000 },
    });
    // 200,000 × $1.25/M + 1000 × $10/M: exactly 200,000 stays on the base tier
    expect(exactly.amount).toBe(0.26);
    expect(exactly.tier).toBeUndefined();
  });

  it('uses the price in effect at the request time (o3 before and after its June 2025 cut)', () => {
    const usage = { inputTokens: 1000, outputTokens: 1000 };
    expect(price({ model: 'o3', usage, timestamp: new Date('2025-06-09T23:59:59Z') }).amount).toBe(0.05);
    expect(price({ model: 'o3', usage, timestamp: Date.parse('2025-06-10T00:00:00Z') }).amount).toBe(0.01);
  });

  it('matches dated snapshots, provider prefixes, Google resource names, aliases and any case', () => {
    const usage = { inputTokens: 1000, outputTokens: 500 };
    const cases: Array<[string | undefined, string, string, string]> = [
      ['openai', 'gpt-4o-2024-08-06', 'openai', 'gpt-4o'],
      [undefined, 'openai/gpt-4o', 'openai', 'gpt-4o'],
      ['openai', 'GPT-4o', 'openai', 'gpt-4o'],
      ['gcp.gemini', 'models/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
      [undefined, 'google/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
      ['gcp.vertex_ai', 'publishers/google/models/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
      ['anthropic', 'claude-sonnet-4-0', 'anthropic', 'claude-sonnet-4-0'],
      ['anthropic.messages', 'claude-3-7-sonnet-20250219', 'anthropic', 'claude-3-7-sonnet-latest'],
      ['openai.chat', 'gpt-4.1-nano-2025-04-14', 'openai', 'gpt-4.1-nano'],
      ['azure.ai.openai', 'gpt-4o', 'azure', 'gpt-4o'],
      [
        'aws.bedrock',
        'us.anthropic.claude-sonnet-4-20250514-v1:0',
        'aws',
        'regional.anthropic.claude-sonnet-4-20250514-v1:0',
      ],
    ];
    for (const [provider, model, expectedProvider, expectedModel] of cases) {
      const result = price({ provider, model, usage });
      expect({ model, provider: result.provider, matched: result.model }).toEqual({
        model,
        provider: expectedProvider,
        matched: expectedModel,
      });
    }
  });

  it('applies the batch tier at half price', () => {
    const result = price({ model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 500 }, serviceTier: 'batch' });
    expect(result.amount).toBe(0.00375);
    expect(result.serviceTier).toBe('batch');
    const flex = price({
      model: 'o3',
      usage: { inputTokens: 1000, outputTokens: 1000 },
      serviceTier: 'flex',
      timestamp: AFTER_O3_CUT,
    });
    expect(flex.amount).toBe(0.005);
  });

  it('prices an unknown service tier at the default rate and says so', () => {
    const result = price({
      model: 'gpt-4o',
      usage: { inputTokens: 1000, outputTokens: 500 },
      serviceTier: 'turbo-gold',
    });
    expect(result.status).toBe('partial');
    expect(result.amount).toBe(0.0075);
    expect(result.serviceTier).toBe('default');
    expect(result.reason).toContain("unknown service tier 'turbo-gold'");
  });

  it('returns unpriced — never $0 — for an unknown model or a provider without prices', () => {
    const usage = { inputTokens: 1000, outputTokens: 500 };
    expect(book.price({ model: 'my-private-model', usage })).toEqual({
      status: 'unpriced',
      reason: "unknown model 'my-private-model'",
    });
    expect(book.price({ provider: 'openai', model: 'gpt-99-ultra', usage })).toEqual({
      status: 'unpriced',
      reason: "unknown model 'gpt-99-ultra' for provider 'openai'",
    });
    expect(book.price({ provider: 'ibm.watsonx.ai', model: 'ibm/granite-13b-chat-v2', usage }).status).toBe('unpriced');
    expect(book.price({ provider: 'ollama', model: 'llama3.1', usage })).toMatchObject({
      status: 'unpriced',
      reason: "unknown provider 'ollama' for model 'llama3.1' (add an override)",
    });
  });

  it('returns unpriced, not a partial $0, for a model billed only in units it cannot see (whisper-1: per audio hour)', () => {
    expect(
      book.price({ provider: 'openai', model: 'whisper-1', usage: { inputTokens: 100, outputTokens: 20 } }),
    ).toEqual({
      status: 'unpriced',
      reason:
        "'whisper-1' (openai) has no token or request prices in @pydantic/genai-prices@0.1.8 (e.g. it is billed per audio hour)",
    });
  });

  it('returns unpriced with a reason for bad usage and never throws', () => {
    const base = { model: 'gpt-4o' };
    const bad: unknown[] = [
      undefined,
      null,
      42,
      {},
      { model: '' },
      { ...base },
      { ...base, usage: null },
      { ...base, usage: { inputTokens: -1, outputTokens: 1 } },
      { ...base, usage: { inputTokens: Number.NaN, outputTokens: 1 } },
      { ...base, usage: { inputTokens: '100', outputTokens: 1 } },
      { ...base, usage: { inputTokens: 1.5, outputTokens: 1 } },
      { ...base, usage: { inputTokens: 10 } },
      { ...base, usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 11 } },
      { ...base, usage: { inputTokens: 10, outputTokens: 1, reasoningTokens: 2 } },
      { ...base, usage: { inputTokens: 10, outputTokens: 1, cacheWriteTokens: 1, cacheWrite1hTokens: 2 } },
      { ...base, usage: { inputTokens: 10, outputTokens: 1 }, timestamp: 'yesterday' },
      { ...base, usage: { inputTokens: 10, outputTokens: 1 }, timestamp: new Date('nope') },
      { ...base, usage: { inputTokens: 10, outputTokens: 1 }, provider: 7 },
      { ...base, usage: { inputTokens: 10, outputTokens: 1 }, serviceTier: {} },
    ];
    for (const request of bad) {
      const result = book.price(request as PriceRequest);
      expect(result.status).toBe('unpriced');
      expect((result as { reason: string }).reason.length).toBeGreaterThan(0);
    }
    expect(book.price({ model: 'gpt-4o', usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 11 } })).toEqual({
      status: 'unpriced',
      reason:
        'usage is inconsistent: cacheReadTokens (11) + cacheWriteTokens (0) exceed inputTokens (10); input counts cached tokens too',
    });
  });

  it('flags audio tokens on a model without an audio price as partial', () => {
    const result = price({
      provider: 'openai',
      model: 'gpt-4o-audio-preview',
      usage: { inputTokens: 1000, outputTokens: 100, inputAudioTokens: 800 },
    });
    expect(result.status).toBe('partial');
    expect(result.reason).toContain('no audio input price');
    expect(result.amount).toBe(0.0035);
  });

  it('charges audio input at its own rate where the catalog has one (gemini-2.5-flash: $1 audio vs $0.30 text)', () => {
    const result = price({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 1000, outputTokens: 0, inputAudioTokens: 600 },
    });
    // 400 × $0.30/M + 600 × $1/M
    expect(result.components.input).toBe(0.00072);
    expect(result.status).toBe('priced');
  });

  it('serves a repeated lookup from the memo without changing the answer', () => {
    const request = { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1234, outputTokens: 567 } };
    const first = book.price(request);
    expect(book.price(request)).toEqual(first);
    const tiny = createPriceBook({ memoLimit: 2 });
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'o3', 'gpt-4o']) {
      expect(tiny.price({ model, usage: request.usage }).status).toBe('priced');
    }
  });
});
