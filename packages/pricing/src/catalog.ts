/**
 * The bundled catalog: `@pydantic/genai-prices`, pinned exactly, read offline. Nothing here fetches prices
 * (`updatePrices` is never called), so the catalog version below is the one every price comes from.
 */
import {
  type ConditionalPrice,
  calcPrice,
  findProvider,
  type ModelInfo,
  type ModelPrice,
  type Provider,
} from '@pydantic/genai-prices';
import { normalizeTierStart, patchClaudeCacheWrite1h } from './catalog-patches.js';
import { usdPerToFemtoRate } from './money.js';
import { emptyRates, type PriceEntry, type PriceSchedule, type RateKey, type RateSet, type RateTier } from './rates.js';

/** The catalog package and its exact pinned version (package.json pins the same; a test keeps them equal). */
export const CATALOG_PACKAGE = '@pydantic/genai-prices';
export const CATALOG_VERSION = '0.1.8';
export const CATALOG_SOURCE = `${CATALOG_PACKAGE}@${CATALOG_VERSION}`;

/**
 * Provider ids in this catalog version. The package exposes providers only by id (`findProvider`), so the list is
 * kept here; a test compares it with the ids inside the installed package, so an upgrade cannot silently drop one.
 */
export const CATALOG_PROVIDER_IDS: readonly string[] = [
  'anthropic',
  'arcee',
  'avian',
  'aws',
  'azure',
  'baseten',
  'cerebras',
  'cloudflare',
  'cohere',
  'cursor',
  'deepseek',
  'doubleword',
  'fireworks',
  'github-copilot',
  'google',
  'groq',
  'huggingface_cerebras',
  'huggingface_fireworks-ai',
  'huggingface_groq',
  'huggingface_hyperbolic',
  'huggingface_nebius',
  'huggingface_novita',
  'huggingface_nscale',
  'huggingface_ovhcloud',
  'huggingface_publicai',
  'huggingface_sambanova',
  'huggingface_together',
  'minimax',
  'mistral',
  'modal',
  'moonshotai',
  'novita',
  'openai',
  'openrouter',
  'ovhcloud',
  'perplexity',
  'quicksilverpro',
  'together',
  'typesafe',
  'voyageai',
  'x-ai',
  'zai',
  'zhipuai',
];

const PROVIDER_ID_SET: ReadonlySet<string> = new Set(CATALOG_PROVIDER_IDS);

export function isCatalogProviderId(id: string): boolean {
  return PROVIDER_ID_SET.has(id);
}

/** The catalog's own provider matching (ids and `provider_match` rules such as 'together_ai' or 'bedrock'). */
export function catalogProviderMatch(name: string): string | undefined {
  try {
    return findProvider({ providerId: name })?.id;
  } catch {
    return undefined;
  }
}

/** The provider the catalog associates with a model name (its `model_match` rules), if any. */
export function inferCatalogProvider(model: string): string | undefined {
  try {
    return findProvider({ modelId: model })?.id;
  } catch {
    return undefined;
  }
}

/** Catalog providers, in catalog order. */
export function catalogProviders(): Provider[] {
  const providers: Provider[] = [];
  for (const id of CATALOG_PROVIDER_IDS) {
    const provider = findProvider({ providerId: id });
    if (provider !== undefined && provider.id === id) providers.push(provider);
  }
  return providers;
}

export interface CatalogMatch {
  provider: Provider;
  model: ModelInfo;
}

const ZERO_USAGE = { input_tokens: 0, output_tokens: 0 };
const EPOCH = new Date(0);

/**
 * The catalog's model matching (its match rules, dated-name fallback and fallback providers such as Azure →
 * OpenAI). With no provider, the catalog infers one from the model name.
 */
export function matchCatalogModel(providerId: string | undefined, model: string): CatalogMatch | undefined {
  try {
    const options = providerId === undefined ? { timestamp: EPOCH } : { providerId, timestamp: EPOCH };
    const result = calcPrice(ZERO_USAGE, model, options);
    return result === null ? undefined : { provider: result.provider, model: result.model };
  } catch {
    return undefined;
  }
}

/** Catalog price keys we charge, with the unit count their price is quoted per. */
const PRICE_KEYS: ReadonlyMap<string, { key: RateKey; per: number }> = new Map([
  ['input_mtok', { key: 'input', per: 1e6 }],
  ['cache_read_mtok', { key: 'cacheRead', per: 1e6 }],
  ['cache_write_mtok', { key: 'cacheWrite', per: 1e6 }],
  ['cache_write_1h_mtok', { key: 'cacheWrite1h', per: 1e6 }],
  ['input_audio_mtok', { key: 'inputAudio', per: 1e6 }],
  ['output_mtok', { key: 'output', per: 1e6 }],
  ['output_reasoning_mtok', { key: 'reasoning', per: 1e6 }],
  ['output_audio_mtok', { key: 'outputAudio', per: 1e6 }],
  ['requests_kcount', { key: 'request', per: 1e3 }],
]);

const compiled = new Map<string, PriceEntry>();

/** Compiles (once per provider and model) a catalog model into a price entry with the patch layer applied. */
export function catalogEntry(match: CatalogMatch): PriceEntry {
  const key = `${match.provider.id}\u0000${match.model.id}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    entry = compileCatalogModel(match.provider.id, match.model);
    compiled.set(key, entry);
  }
  return entry;
}

function compileCatalogModel(providerId: string, model: ModelInfo): PriceEntry {
  const conditional: ConditionalPrice[] = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
  const schedules: PriceSchedule[] = conditional.map((item) => {
    const schedule = compileModelPrice(model.id, item.prices);
    const constraint = item.constraint;
    if (constraint?.type === 'start_date') schedule.from = Date.parse(`${constraint.start_date}T00:00:00Z`);
    else if (constraint?.type === 'time_of_date') {
      schedule.window = { start: secondsOfDay(constraint.start_time), end: secondsOfDay(constraint.end_time) };
    }
    return schedule;
  });
  return { provider: providerId, model: model.id, source: CATALOG_SOURCE, schedules, fallbackToFirst: true };
}

function compileModelPrice(modelId: string, price: ModelPrice): PriceSchedule {
  const base = emptyRates();
  const starts = new Set<number>();
  for (const [priceKey, value] of Object.entries(price)) {
    const known = PRICE_KEYS.get(priceKey);
    if (known === undefined || value === undefined) continue;
    if (typeof value === 'number') base[known.key] = usdPerToFemtoRate(value, known.per);
    else {
      base[known.key] = usdPerToFemtoRate(value.base, known.per);
      for (const tier of value.tiers) starts.add(normalizeTierStart(tier.start));
    }
  }
  const tiers: RateTier[] = [...starts]
    .sort((a, b) => a - b)
    .map((above) => {
      const rates: RateSet = { ...base };
      for (const [priceKey, value] of Object.entries(price)) {
        const known = PRICE_KEYS.get(priceKey);
        if (known === undefined || value === undefined || typeof value === 'number') continue;
        let usd = value.base;
        for (const tier of value.tiers) if (normalizeTierStart(tier.start) <= above) usd = tier.price;
        rates[known.key] = usdPerToFemtoRate(usd, known.per);
      }
      return { above, label: `input>${above}`, rates };
    });
  patchClaudeCacheWrite1h(modelId, base, tiers);
  return { from: Number.NEGATIVE_INFINITY, base, tiers };
}

function secondsOfDay(time: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (match === null) return 0;
  const [, h, m, s, zone] = match;
  let seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  return (seconds + 86_400) % 86_400;
}
