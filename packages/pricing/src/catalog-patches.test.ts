import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_TIERS, normalizeTierStart } from './catalog-patches.js';
import { cleanModelName, splitProviderPrefix, withoutTrailingDate } from './names.js';
import { createPriceBook } from './price-book.js';
import type { PricedResult, PriceRequest } from './types.js';

const book = createPriceBook();
const price = (request: PriceRequest) => book.price(request) as PricedResult;

describe('patch layer', () => {
  it('patch 1: a catalog threshold written as N-1 switches strictly above N (gpt-5.4 at 272K)', () => {
    expect(normalizeTierStart(271_999)).toBe(272_000);
    expect(normalizeTierStart(199_999)).toBe(200_000);
    expect(normalizeTierStart(200_000)).toBe(200_000);
    const at = (inputTokens: number) =>
      price({ provider: 'openai', model: 'gpt-5.4', usage: { inputTokens, outputTokens: 0 } });
    expect(at(272_000).tier).toBeUndefined();
    expect(at(272_001).tier).toBe('input>272000');
    expect(at(272_001).nanos.input / 272_001).toBeGreaterThan(at(272_000).nanos.input / 272_000);
  });

  it('patch 2: Claude 1-hour cache writes cost 2× input on Bedrock entries that only list the 5-minute price', () => {
    const result = price({
      provider: 'aws.bedrock',
      model: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      usage: { inputTokens: 3000, outputTokens: 0, cacheWriteTokens: 3000, cacheWrite1hTokens: 1000 },
    });
    // 2000 × $3.75 + 1000 × $6 (2 × $3) per M
    expect(result.components.cacheWrite).toBe(0.0135);
  });

  it('patch 3: batch, flex and priority tiers have documented defaults', () => {
    expect(Object.fromEntries(DEFAULT_SERVICE_TIERS)).toMatchObject({
      default: 1,
      batch: 0.5,
      flex: 0.5,
      priority: 1.75,
    });
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    expect(price({ model: 'gpt-4o', usage, serviceTier: 'priority' }).amount).toBe(4.375);
    expect(price({ model: 'gpt-4o', usage, serviceTier: 'auto' }).amount).toBe(2.5);
    // Service tiers scale token prices only; per-request fees stay as they are.
    const withFee = createPriceBook({
      overrides: { models: [{ match: 'fee-model', prices: { input: 1, request: 0.01 } }] },
    });
    const batch = withFee.price({ model: 'fee-model', usage, serviceTier: 'batch' }) as PricedResult;
    expect(batch.components).toMatchObject({ input: 0.5, request: 0.01 });
  });

  it('patch 4: model names are cleaned of Google resource prefixes, provider prefixes and unknown snapshot dates', () => {
    expect(cleanModelName(' models/Gemini-2.5-Flash ')).toBe('gemini-2.5-flash');
    expect(cleanModelName('projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro')).toBe(
      'gemini-2.5-pro',
    );
    expect(cleanModelName('accounts/fireworks/models/llama-v3p1-8b-instruct')).toBe(
      'accounts/fireworks/models/llama-v3p1-8b-instruct',
    );
    expect(splitProviderPrefix('openai/gpt-4o')).toEqual({ prefix: 'openai', rest: 'gpt-4o' });
    expect(withoutTrailingDate('mistral-small-2099-01-01')).toBe('mistral-small');
    expect(withoutTrailingDate('claude-x@20990101')).toBe('claude-x');
    expect(withoutTrailingDate('gpt-4o')).toBeUndefined();
    const result = price({
      provider: 'deepseek',
      model: 'deepseek-chat-20991231',
      usage: { inputTokens: 10, outputTokens: 10 },
    });
    expect(result.model).toBe('deepseek-chat');
  });
});
