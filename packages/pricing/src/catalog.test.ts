import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_PROVIDER_IDS,
  CATALOG_SOURCE,
  CATALOG_VERSION,
  catalogEntry,
  catalogProviders,
  matchCatalogModel,
} from './catalog.js';

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('@pydantic/genai-prices'));

describe('bundled catalog', () => {
  it('is the exact version pinned in package.json and installed', () => {
    const ours = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    const theirs = JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8'));
    expect(ours.dependencies['@pydantic/genai-prices']).toBe(CATALOG_VERSION);
    expect(theirs.version).toBe(CATALOG_VERSION);
    expect(CATALOG_SOURCE).toBe('@pydantic/genai-prices@0.1.8');
  });

  it('lists every provider the installed package carries', () => {
    const source = readFileSync(join(distDir, 'index.js'), 'utf8');
    const dataEnd = source.indexOf('], J = {');
    const ids = [...source.slice(0, dataEnd).matchAll(/^ {4}id: "([^"]+)",$/gm)].map((m) => m[1]);
    expect([...CATALOG_PROVIDER_IDS].sort()).toEqual([...new Set(ids)].sort());
    expect(catalogProviders().map((p) => p.id)).toEqual(CATALOG_PROVIDER_IDS);
  });

  it('compiles every catalog model and finds the main providers by their own ids', () => {
    let models = 0;
    for (const provider of catalogProviders()) {
      for (const model of provider.models) {
        const entry = catalogEntry({ provider, model });
        expect(entry.schedules.length).toBeGreaterThan(0);
        models += 1;
      }
    }
    expect(models).toBeGreaterThan(1500);
    for (const [provider, model] of [
      ['openai', 'gpt-4o'],
      ['anthropic', 'claude-sonnet-4-0'],
      ['google', 'gemini-2.5-pro'],
      ['aws', 'amazon.nova-pro-v1:0'],
      ['mistral', 'mistral-large'],
    ] as const) {
      expect(matchCatalogModel(provider, model)?.model.id).toBe(model);
    }
  });
});
