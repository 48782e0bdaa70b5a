import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPriceBook } from './price-book.js';
import type { PricedResult, PriceOverrides, PriceResult } from './types.js';

const usage = { inputTokens: 1000, outputTokens: 500 };

function priced(result: PriceResult): PricedResult {
  if (result.status === 'unpriced') throw new Error(`expected a price, got unpriced: ${result.reason}`);
  return result;
}

describe('price book with overrides', () => {
  it('lets a negotiated price beat the catalog, for that provider only', () => {
    const book = createPriceBook({
      overrides: { models: [{ match: 'gpt-4o', provider: 'openai', prices: { input: 2, output: 8 } }] },
    });
    const result = priced(book.price({ provider: 'openai', model: 'gpt-4o', usage }));
    expect(result.amount).toBe(0.006);
    expect(result.source).toMatch(/^overrides:inline#[0-9a-f]{8}$/);
    expect(result).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    // Without a reported provider, the catalog's provider for the model (openai) selects the override.
    expect(priced(book.price({ model: 'gpt-4o', usage })).amount).toBe(0.006);
    // Azure still gets the catalog price.
    expect(priced(book.price({ provider: 'azure.ai.openai', model: 'gpt-4o', usage })).amount).toBe(0.0075);
    expect(book.source).toMatch(/^@pydantic\/genai-prices@0\.1\.8 \+ overrides:inline#/);
  });

  it('prices a self-hosted model at $0 tokens as priced, not unpriced', () => {
    const book = createPriceBook({
      overrides: { models: [{ match: { prefix: 'llama-3.1-' }, provider: 'vllm', prices: { input: 0, output: 0 } }] },
    });
    const result = priced(book.price({ provider: 'vllm', model: 'llama-3.1-70b-instruct', usage }));
    expect(result).toMatchObject({ status: 'priced', amount: 0, provider: 'vllm', model: 'llama-3.1-70b-instruct' });
    expect(book.price({ provider: 'ollama', model: 'llama-3.1-70b-instruct', usage }).status).toBe('unpriced');
  });

  it('prices fine-tuned models by regex with cache prices and a per-request fee', () => {
    const book = createPriceBook({
      overrides: {
        models: [
          {
            match: { regex: '^ft:gpt-4o-mini(-2024-07-18)?:' },
            id: 'ft:gpt-4o-mini',
            provider: 'openai',
            prices: { input: 0.3, cacheRead: 0.15, output: 1.2, request: 0.001 },
          },
        ],
      },
    });
    const result = priced(
      book.price({
        provider: 'openai',
        model: 'ft:gpt-4o-mini-2024-07-18:acme::9abc',
        usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 200, requests: 2 },
      }),
    );
    // 800 × $0.30 + 200 × $0.15 + 500 × $1.20 (per M) + 2 × $0.001
    expect(result.nanos).toEqual({
      amount: 2_870_000,
      input: 240_000,
      cacheRead: 30_000,
      output: 600_000,
      cacheWrite: 0,
      request: 2_000_000,
    });
    expect(result.model).toBe('ft:gpt-4o-mini');
  });

  it('follows effective dates and falls back to the catalog before the first one', () => {
    const book = createPriceBook({
      overrides: {
        models: [
          { match: 'gpt-4o', from: '2030-01-01', prices: { input: 1, output: 4 } },
          { match: 'gpt-4o', from: '2031-01-01T00:00:00Z', prices: { input: 0.5, output: 2 } },
        ],
      },
    });
    const at = (iso: string) => priced(book.price({ model: 'gpt-4o', usage, timestamp: new Date(iso) }));
    expect(at('2029-12-31T23:59:59Z')).toMatchObject({ amount: 0.0075, source: '@pydantic/genai-prices@0.1.8' });
    expect(at('2030-06-01T00:00:00Z').amount).toBe(0.003);
    expect(at('2031-06-01T00:00:00Z').amount).toBe(0.0015);
  });

  it('applies long-context tiers to the whole request, and service tiers per model and globally', () => {
    const book = createPriceBook({
      overrides: {
        serviceTiers: { batch: 0.4, priority: 2 },
        models: [
          {
            match: 'house-model',
            prices: { input: 1, output: 2 },
            tiers: [{ above: 100_000, prices: { input: 2, output: 3 } }],
            serviceTiers: { flex: 0.25, priority: { input: 5, output: 10 } },
          },
        ],
      },
    });
    const p = (inputTokens: number, serviceTier?: string) =>
      priced(book.price({ model: 'house-model', usage: { inputTokens, outputTokens: 1000 }, serviceTier }));
    expect(p(100_000).amount).toBe(0.102);
    expect(p(100_001)).toMatchObject({ amount: 0.203002, tier: 'input>100000' });
    expect(p(100_000, 'flex').amount).toBe(0.0255);
    expect(p(100_000, 'batch').amount).toBe(0.0408);
    expect(p(100_000, 'priority').amount).toBe(0.51);
    // The global batch multiplier also replaces the default for catalog models.
    expect(priced(book.price({ model: 'gpt-4o', usage, serviceTier: 'batch' })).amount).toBe(0.003);
  });

  it('reads a YAML overrides file and records its name and content hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-prices-'));
    const file = join(dir, 'prices.yaml');
    writeFileSync(file, 'models:\n  - match: { exact: my-model }\n    prices: { input: 1, output: 1 }\n');
    const result = priced(createPriceBook({ overrides: file }).price({ model: 'My-Model', usage }));
    expect(result.amount).toBe(0.0015);
    expect(result.source).toMatch(/^overrides:prices\.yaml#[0-9a-f]{8}$/);
  });

  it('refuses a bad overrides value up front instead of half-applying it', () => {
    const bad = {
      models: [
        { match: 'a', prices: { input: 1 } },
        { match: 'b', prices: { input: -1 } },
      ],
    } as PriceOverrides;
    expect(() => createPriceBook({ overrides: bad })).toThrow(
      'overrides: models[1].prices.input: expected a non-negative number',
    );
  });
});
