/** Listing catalog models and suggesting close names for an unknown model. */
import {
  catalogEntry,
  catalogProviderMatch,
  catalogProviders,
  inferCatalogProvider,
  isCatalogProviderId,
} from './catalog.js';
import { cleanModelName, lookupProvider, splitProviderPrefix } from './names.js';
import { type RateKey, type RateSet, selectSchedule } from './rates.js';
import type { CatalogModel, PriceOverridePrices } from './types.js';

export interface ListCatalogModelsOptions {
  /** OTel name, AI-SDK id or catalog id. */
  provider?: string;
  /** Case-insensitive substring of the model id or name. */
  search?: string;
  /** Prices in effect at this time; default now. */
  at?: Date;
}

let cachedAll: CatalogModel[] | undefined;
let cachedAt = 0;

/** Catalog models with the prices in effect at `at` (patch layer applied), in catalog order. */
export function listCatalogModels(options: ListCatalogModelsOptions = {}): CatalogModel[] {
  const at = options.at?.getTime() ?? Date.now();
  const all = allModels(at);
  const provider = options.provider === undefined ? undefined : catalogProviderId(options.provider);
  if (options.provider !== undefined && provider === undefined) return [];
  const search = options.search?.trim().toLowerCase();
  return all.filter(
    (model) =>
      (provider === undefined || model.provider === provider) &&
      (search === undefined ||
        search === '' ||
        model.model.toLowerCase().includes(search) ||
        (model.name?.toLowerCase().includes(search) ?? false)),
  );
}

/** The catalog provider id for a reported provider name, or undefined. */
export function catalogProviderId(name: string): string | undefined {
  const lookup = lookupProvider(name, isCatalogProviderId, catalogProviderMatch);
  return lookup.kind === 'catalog' ? lookup.id : undefined;
}

export interface ModelSuggestion {
  provider: string;
  model: string;
  /** Edit distance between the cleaned query and the model id (0 when the id starts with the query). */
  distance: number;
}

/**
 * Catalog models whose ids are close to `model` (edit distance; ids that extend the query rank first), restricted to
 * the provider when one is given. For "did you mean" messages.
 */
export function suggestModels(model: string, options: { provider?: string; limit?: number } = {}): ModelSuggestion[] {
  const cleaned = cleanModelName(model);
  const split = splitProviderPrefix(cleaned);
  const prefixProvider = split === undefined ? undefined : catalogProviderId(split.prefix);
  const query = prefixProvider === undefined ? cleaned : (split?.rest ?? cleaned);
  const provider = options.provider === undefined ? prefixProvider : catalogProviderId(options.provider);
  const preferred = provider ?? inferCatalogProvider(query);
  const limit = options.limit ?? 5;
  const maxDistance = Math.max(3, Math.floor(query.length / 2));
  const scored: ModelSuggestion[] = [];
  const seen = new Set<string>();
  for (const candidate of allModels(Date.now())) {
    if (provider !== undefined && candidate.provider !== provider) continue;
    const id = candidate.model.toLowerCase();
    const key = `${candidate.provider}/${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const distance = id.startsWith(query) ? 0 : editDistance(query, id, maxDistance);
    if (distance <= maxDistance) scored.push({ provider: candidate.provider, model: candidate.model, distance });
  }
  scored.sort(
    (a, b) =>
      a.distance - b.distance ||
      Number(b.provider === preferred) - Number(a.provider === preferred) ||
      Math.abs(a.model.length - query.length) - Math.abs(b.model.length - query.length) ||
      a.model.localeCompare(b.model),
  );
  return scored.slice(0, limit);
}

/** Levenshtein distance, giving up (returning limit + 1) once every cell of a row exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

function allModels(at: number): CatalogModel[] {
  const hour = Math.floor(at / 3_600_000);
  if (cachedAll !== undefined && cachedAt === hour) return cachedAll;
  const out: CatalogModel[] = [];
  for (const provider of catalogProviders()) {
    for (const model of provider.models) {
      const entry = catalogEntry({ provider, model });
      const schedule = selectSchedule(entry, at);
      if (schedule === undefined) continue;
      const listed: CatalogModel = {
        provider: provider.id,
        model: model.id,
        prices: usdPrices(schedule.base),
        dated: entry.schedules.length > 1,
      };
      if (model.name !== undefined) listed.name = model.name;
      if (schedule.tiers.length > 0) {
        listed.tiers = schedule.tiers.map((tier) => ({ above: tier.above, prices: usdPrices(tier.rates) }));
      }
      out.push(listed);
    }
  }
  cachedAll = out;
  cachedAt = hour;
  return out;
}

const USD_KEYS: ReadonlyArray<[RateKey, keyof PriceOverridePrices, number]> = [
  ['input', 'input', 1e9],
  ['output', 'output', 1e9],
  ['cacheRead', 'cacheRead', 1e9],
  ['cacheWrite', 'cacheWrite', 1e9],
  ['cacheWrite1h', 'cacheWrite1h', 1e9],
  ['inputAudio', 'inputAudio', 1e9],
  ['outputAudio', 'outputAudio', 1e9],
  ['reasoning', 'reasoning', 1e9],
  ['request', 'request', 1e15],
];

/** Femto-dollar rates back to USD per million tokens (per request for `request`). */
function usdPrices(rates: RateSet): PriceOverridePrices {
  const prices: PriceOverridePrices = {};
  for (const [rateKey, priceKey, divisor] of USD_KEYS) {
    const rate = rates[rateKey];
    if (rate >= 0) prices[priceKey] = rate / divisor;
  }
  return prices;
}
