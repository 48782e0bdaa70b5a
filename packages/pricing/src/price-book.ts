/**
 * The price book: overrides first, then the bundled catalog; matching memoized per (provider, model); pricing in
 * exact integer nano-dollars. `price()` never throws.
 */
import { COSTSPAN_PRICING_STATUS_VALUE_UNPRICED } from '@costspan/semconv';
import {
  CATALOG_SOURCE,
  type CatalogMatch,
  catalogEntry,
  catalogProviderMatch,
  isCatalogProviderId,
  matchCatalogModel,
} from './catalog.js';
import { DEFAULT_SERVICE_TIERS } from './catalog-patches.js';
import { computeNanos } from './compute.js';
import { nanosToUsd } from './money.js';
import {
  cleanModelName,
  lookupProvider,
  providerForPrefix,
  splitProviderPrefix,
  withoutTrailingDate,
} from './names.js';
import { compileOverrides, type OverrideIndex } from './overrides-compile.js';
import { loadPriceOverridesFile, overridesSource } from './overrides-load.js';
import { parsePriceOverrides } from './overrides-parse.js';
import {
  hasAnyRate,
  type PriceEntry,
  type PriceSchedule,
  type RateSet,
  scaleRates,
  selectSchedule,
  selectTier,
} from './rates.js';
import type {
  PriceBook,
  PriceBookOptions,
  PricedResult,
  PriceOverrides,
  PriceRequest,
  PriceResult,
  UnpricedResult,
} from './types.js';
import { checkUsage } from './usage.js';

interface Resolution {
  override: PriceEntry | undefined;
  catalog: PriceEntry | undefined;
  /** Why nothing matched (used when neither entry prices the request). */
  reason: string;
}

const DEFAULT_MEMO_LIMIT = 10_000;

/**
 * Creates a price book. With `overrides` as a path, the file is read and validated now: a bad file throws
 * PriceOverridesError here, at configuration time, never later from `price()`.
 */
export function createPriceBook(options: PriceBookOptions = {}): PriceBook {
  if (options.currency !== undefined && options.currency !== 'USD') {
    throw new RangeError(`costspan pricing supports currency 'USD' only, got '${String(options.currency)}'`);
  }
  let overrides: PriceOverrides | undefined;
  let overrideSource = '';
  if (typeof options.overrides === 'string') {
    const loaded = loadPriceOverridesFile(options.overrides);
    overrides = loaded.overrides;
    overrideSource = loaded.source;
  } else if (options.overrides !== undefined) {
    overrides = parsePriceOverrides(options.overrides, 'overrides');
    overrideSource = overridesSource('inline', JSON.stringify(overrides));
  }
  const index = overrides === undefined ? undefined : compileOverrides(overrides, overrideSource, canonicalProvider);
  const serviceTiers = new Map(DEFAULT_SERVICE_TIERS);
  for (const [name, multiplier] of index?.serviceTiers ?? []) serviceTiers.set(name, multiplier);
  const memoLimit = Math.max(1, options.memoLimit ?? DEFAULT_MEMO_LIMIT);
  const memo = new Map<string, Map<string, Resolution>>();
  let memoSize = 0;
  const scaled = new WeakMap<RateSet, Map<string, RateSet>>();

  function resolution(provider: string | undefined, model: string): Resolution {
    const providerKey = provider ?? '';
    let byModel = memo.get(providerKey);
    const hit = byModel?.get(model);
    if (hit !== undefined) return hit;
    const resolved = resolve(provider, model, index);
    if (memoSize >= memoLimit) {
      memo.clear();
      memoSize = 0;
      byModel = undefined;
    }
    if (byModel === undefined) {
      byModel = new Map();
      memo.set(providerKey, byModel);
    }
    byModel.set(model, resolved);
    memoSize += 1;
    return resolved;
  }

  function ratesForServiceTier(
    rates: RateSet,
    entryTiers: ReadonlyMap<string, number | RateSet> | undefined,
    tier: string,
  ): RateSet | undefined {
    const own = entryTiers?.get(tier);
    if (own !== undefined && typeof own !== 'number') return own;
    const multiplier = own ?? serviceTiers.get(tier);
    if (multiplier === undefined) return undefined;
    if (multiplier === 1) return rates;
    let byTier = scaled.get(rates);
    if (byTier === undefined) {
      byTier = new Map();
      scaled.set(rates, byTier);
    }
    const key = own === undefined ? tier : `${tier}\u0000entry`;
    let result = byTier.get(key);
    if (result === undefined) {
      result = scaleRates(rates, multiplier);
      byTier.set(key, result);
    }
    return result;
  }

  function price(request: PriceRequest): PriceResult {
    try {
      if (typeof request !== 'object' || request === null) return unpriced('price request is missing');
      const model = request.model;
      if (typeof model !== 'string' || model.trim() === '') return unpriced('model is missing');
      const provider = request.provider;
      if (provider !== undefined && provider !== null && typeof provider !== 'string') {
        return unpriced(`provider must be a string, got ${typeof provider}`);
      }
      const usage = checkUsage(request.usage);
      if (typeof usage === 'string') return unpriced(usage);
      const time = timeOf(request.timestamp);
      if (Number.isNaN(time)) return unpriced('timestamp is not a valid date');
      const requestedTier = request.serviceTier;
      if (requestedTier !== undefined && requestedTier !== null && typeof requestedTier !== 'string') {
        return unpriced(`serviceTier must be a string, got ${typeof requestedTier}`);
      }
      const tierName = requestedTier ? requestedTier.toLowerCase() : 'default';

      const resolved = resolution(provider || undefined, model);
      let entry = resolved.override;
      let schedule = entry === undefined ? undefined : selectSchedule(entry, time);
      if (schedule === undefined) {
        entry = resolved.catalog;
        schedule = entry === undefined ? undefined : selectSchedule(entry, time);
      }
      if (entry === undefined || schedule === undefined) {
        return unpriced(
          resolved.override === undefined
            ? resolved.reason
            : `the override for '${model}' is not yet in effect at ${new Date(time).toISOString()} and the catalog has no price`,
        );
      }
      if (!hasAnyRate(schedule.base)) {
        return unpriced(
          `'${entry.model}' (${entry.provider}) has no token or request prices in ${entry.source} (e.g. it is billed per audio hour)`,
        );
      }
      const longContext = selectTier(schedule, usage.inputTokens);
      const tierRates = longContext === undefined ? schedule.base : longContext.rates;
      let serviceTier = tierName;
      let missing: string | undefined;
      let rates = tierName === 'default' ? tierRates : ratesForServiceTier(tierRates, schedule.serviceTiers, tierName);
      if (rates === undefined) {
        missing = `unknown service tier '${requestedTier}': priced at the default tier`;
        serviceTier = 'default';
        rates = tierRates;
      }
      const nanos = computeNanos(rates, usage, entry.model);
      const amount = nanos.input + nanos.output + nanos.cacheRead + nanos.cacheWrite + nanos.request;
      if (
        nanos.input < 0 ||
        nanos.output < 0 ||
        nanos.cacheRead < 0 ||
        nanos.cacheWrite < 0 ||
        nanos.request < 0 ||
        !Number.isSafeInteger(amount)
      ) {
        return unpriced('amount exceeds the exactly representable range');
      }
      if (nanos.missing !== undefined) missing = missing === undefined ? nanos.missing : `${missing}; ${nanos.missing}`;
      const result: PricedResult = {
        status: missing === undefined ? 'priced' : 'partial',
        amount: nanosToUsd(amount),
        currency: 'USD',
        components: {
          input: nanosToUsd(nanos.input),
          output: nanosToUsd(nanos.output),
          cacheRead: nanosToUsd(nanos.cacheRead),
          cacheWrite: nanosToUsd(nanos.cacheWrite),
          request: nanosToUsd(nanos.request),
        },
        nanos: {
          amount,
          input: nanos.input,
          output: nanos.output,
          cacheRead: nanos.cacheRead,
          cacheWrite: nanos.cacheWrite,
          request: nanos.request,
        },
        provider: entry.provider,
        model: entry.model,
        source: entry.source,
        serviceTier,
      };
      if (longContext !== undefined) result.tier = longContext.label;
      if (missing !== undefined) result.reason = missing;
      return result;
    } catch (error) {
      return unpriced(`pricing failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function rateCard(key: RateCardKey): RateCard {
    const model = key.model;
    if (typeof model !== 'string' || model.trim() === '') return { rules: [] };
    const tierName = key.serviceTier ? key.serviceTier.toLowerCase() : 'default';
    const resolved = resolution(key.provider || undefined, model);
    const rules: RateCardRule[] = [];
    const add = (entry: PriceEntry, schedule: PriceSchedule, from: number) => {
      const priced = hasAnyRate(schedule.base);
      const tiers = [{ above: -1, rates: schedule.base }, ...schedule.tiers].map((tier) => ({
        above: tier.above,
        rates:
          tierName === 'default'
            ? tier.rates
            : (ratesForServiceTier(tier.rates, schedule.serviceTiers, tierName) ?? tier.rates),
      }));
      rules.push({
        from,
        ...(schedule.window === undefined ? {} : { window: { ...schedule.window } }),
        tiers: priced ? tiers : null,
        model: entry.model,
      });
    };
    for (const entry of [resolved.override, resolved.catalog]) {
      if (entry === undefined) continue;
      for (let i = entry.schedules.length - 1; i >= 0; i--) {
        const schedule = entry.schedules[i] as PriceSchedule;
        add(entry, schedule, schedule.window === undefined ? schedule.from : Number.NEGATIVE_INFINITY);
      }
      if (entry.fallbackToFirst && entry.schedules[0] !== undefined) {
        add(entry, entry.schedules[0], Number.NEGATIVE_INFINITY);
        break;
      }
    }
    return { rules };
  }

  const book: PriceBook = {
    price,
    source: overrideSource === '' ? CATALOG_SOURCE : `${CATALOG_SOURCE} + ${overrideSource}`,
  };
  rateCards.set(book, rateCard);
  return book;
}

/** Integer femto-dollars per token (per request for `request`); -1 where there is no such price. */
export type PriceRateSet = RateSet;

/** Which requests a rate card prices: one (provider, model, service tier) as `price()` would be asked. */
export interface RateCardKey {
  provider?: string | null;
  model: string;
  serviceTier?: string | null;
}

/**
 * One way a rate card can price a request. A rule holds at time t when `window` is set and t's UTC time of day is
 * in it, or else when t ≥ `from`; the first rule that holds applies. `tiers` are ascending by `above` (the first,
 * `above` = -1, is the base rate): the last tier whose `above` is strictly below the request's input tokens
 * prices the whole request. `tiers` is null when the matched entry has no token or request price then (unpriced).
 */
export interface RateCardRule {
  from: number;
  window?: { start: number; end: number };
  tiers: Array<{ above: number; rates: RateSet }> | null;
  /** The catalog (or override) model the rule belongs to. */
  model: string;
}

/** Everything `price()` would use for one key, as data: no rule holding at a time means unpriced then. */
export interface RateCard {
  rules: RateCardRule[];
}

const rateCards = new WeakMap<PriceBook, (key: RateCardKey) => RateCard>();

/**
 * The rate card of a price book for one (provider, model, service tier): the same matching, effective dates,
 * long-context tiers and service-tier multipliers as `price()`, as integer femto-dollar rates, so that an engine
 * (SQL) can price many requests by joining rates instead of calling `price()` once per request. Usage with audio
 * tokens or web searches is outside a rate card.
 */
export function priceBookRateCard(book: PriceBook, key: RateCardKey): RateCard {
  const card = rateCards.get(book);
  if (card === undefined) throw new TypeError('priceBookRateCard needs a price book made by createPriceBook');
  return card(key);
}

function unpriced(reason: string): UnpricedResult {
  return { status: COSTSPAN_PRICING_STATUS_VALUE_UNPRICED, reason };
}

function timeOf(timestamp: unknown): number {
  if (timestamp === undefined || timestamp === null) return Date.now();
  if (timestamp instanceof Date) return timestamp.getTime();
  if (typeof timestamp === 'number' && Number.isFinite(timestamp)) return timestamp;
  return Number.NaN;
}

/** The provider name overrides and requests are compared by: a catalog id when known, else the lower-cased name. */
function canonicalProvider(name: string): string {
  const lookup = lookupProvider(name, isCatalogProviderId, catalogProviderMatch);
  return lookup.kind === 'catalog' ? lookup.id : lookup.name;
}

/** First-time matching of (provider, model): overrides, then the catalog with the name clean-ups of the patch layer. */
function resolve(provider: string | undefined, model: string, index: OverrideIndex | undefined): Resolution {
  const raw = model.trim().toLowerCase();
  const cleaned = cleanModelName(model);
  const split = splitProviderPrefix(cleaned);
  const lookup =
    provider === undefined ? undefined : lookupProvider(provider, isCatalogProviderId, catalogProviderMatch);
  const prefixProvider = split === undefined ? undefined : providerForPrefix(split.prefix, isCatalogProviderId);
  const requestProvider = lookup === undefined ? prefixProvider : lookup.kind === 'catalog' ? lookup.id : lookup.name;

  const attempts: Array<[string | undefined, string]> = [];
  if (lookup === undefined || lookup.kind === 'catalog') {
    const catalogProvider = lookup?.id;
    if (catalogProvider !== undefined || prefixProvider === undefined) attempts.push([catalogProvider, cleaned]);
    if (split !== undefined && prefixProvider !== undefined) attempts.push([prefixProvider, split.rest]);
    if (split !== undefined && catalogProvider !== undefined && prefixProvider === undefined) {
      attempts.push([catalogProvider, split.rest]);
    }
  } else if (prefixProvider !== undefined && split !== undefined) {
    attempts.push([prefixProvider, split.rest]);
  }
  let match: CatalogMatch | undefined;
  for (const [catalogProvider, name] of attempts) {
    match = matchCatalogModel(catalogProvider, name);
    if (match !== undefined) break;
  }
  if (match === undefined) {
    for (const [catalogProvider, name] of attempts) {
      const undated = withoutTrailingDate(name);
      if (undated !== undefined) match = matchCatalogModel(catalogProvider, undated);
      if (match !== undefined) break;
    }
  }
  const catalog = match === undefined ? undefined : catalogEntry(match);

  let override: PriceEntry | undefined;
  if (index !== undefined) {
    const names = unique([raw, cleaned, split?.rest]);
    // Without a reported provider, the catalog's answer (e.g. openai for gpt-4o) selects provider-specific overrides.
    const found = index.find(requestProvider ?? catalog?.provider, names);
    if (found !== undefined) {
      const entry = found.entry;
      override =
        entry.provider !== '' && entry.model !== ''
          ? entry
          : {
              ...entry,
              provider: entry.provider || requestProvider || catalog?.provider || 'custom',
              model: entry.model || found.matchedName,
            };
    }
  }

  let reason = '';
  if (catalog === undefined) {
    if (lookup?.kind === 'uncatalogued') reason = `no catalog prices for provider '${provider}' (add an override)`;
    else if (lookup?.kind === 'unknown')
      reason = `unknown provider '${provider}' for model '${model}' (add an override)`;
    else reason = `unknown model '${model}'${provider === undefined ? '' : ` for provider '${provider}'`}`;
  }
  return { override, catalog, reason };
}

function unique(names: Array<string | undefined>): string[] {
  const out: string[] = [];
  for (const name of names) if (name !== undefined && name !== '' && !out.includes(name)) out.push(name);
  return out;
}
