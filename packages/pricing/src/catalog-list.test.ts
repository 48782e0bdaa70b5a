import { describe, expect, it } from 'vitest';
import { editDistance, listCatalogModels, suggestModels } from './catalog-list.js';

describe('catalog listing and suggestions', () => {
  it('lists models with their current prices per million tokens, filtered by provider and search', () => {
    const models = listCatalogModels({ provider: 'gcp.gemini', search: 'gemini-2.5-pro' });
    const pro = models.find((model) => model.model === 'gemini-2.5-pro');
    expect(pro).toMatchObject({
      provider: 'google',
      prices: { input: 1.25, output: 10, cacheRead: 0.125 },
      tiers: [{ above: 200_000, prices: { input: 2.5, output: 15, cacheRead: 0.25 } }],
    });
    expect(models.every((model) => model.provider === 'google')).toBe(true);
    expect(listCatalogModels().length).toBeGreaterThan(1500);
    expect(listCatalogModels({ provider: 'no-such-provider' })).toEqual([]);
  });

  it('shows the price in effect at a given time and marks dated models', () => {
    const before = listCatalogModels({ provider: 'openai', search: 'o3', at: new Date('2025-06-01') });
    const after = listCatalogModels({ provider: 'openai', search: 'o3', at: new Date('2025-07-01') });
    expect(before.find((m) => m.model === 'o3')).toMatchObject({ prices: { input: 10, output: 40 }, dated: true });
    expect(after.find((m) => m.model === 'o3')).toMatchObject({ prices: { input: 2, output: 8 }, dated: true });
  });

  it('suggests close catalog names for a misspelled model, within the provider when given', () => {
    const names = suggestModels('claude-sonet-4-5', { provider: 'anthropic' }).map((s) => s.model);
    expect(names[0]).toBe('claude-sonnet-4-5');
    expect(suggestModels('gpt-4o-mnii').map((s) => `${s.provider}/${s.model}`)).toContain('openai/gpt-4o-mini');
    expect(suggestModels('models/gemini-2.5-flsh', { provider: 'gcp.gemini' })[0]?.model).toBe('gemini-2.5-flash');
    expect(suggestModels('zzzzzzzzzzzzzzzzzzzzzz')).toEqual([]);
  });

  it('computes edit distance with an early exit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
