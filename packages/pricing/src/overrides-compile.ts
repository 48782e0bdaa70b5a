/**
 * Validated overrides → an index of price entries by match rule.
 *
 * Precedence: exact name beats prefix (longest first) beats regex (file order); within each, an entry restricted
 * to the request's provider beats one for any provider. Entries that share provider and match rule form one
 * price history ordered by `from`; before the earliest `from` the override does not apply and the catalog does.
 */
import { usdPerToFemtoRate } from './money.js';
import { parseFrom } from './overrides-parse.js';
import { emptyRates, type PriceEntry, type PriceSchedule, type RateKey, type RateSet, type RateTier } from './rates.js';
import type { PriceOverrideModel, PriceOverridePrices, PriceOverrides } from './types.js';

interface OverrideRule {
  /** Canonical provider (see `canonicalProvider`), or undefined for any provider. */
  provider: string | undefined;
  kind: 'exact' | 'prefix' | 'regex';
  /** Lower-cased exact name or prefix; the regex source for regex rules. */
  pattern: string;
  regex: RegExp | undefined;
  entry: PriceEntry;
  /** The `id` of the entries, when given. */
  id: string | undefined;
}

export interface OverrideIndex {
  /** Global service-tier multipliers from the overrides (tier name → multiplier). */
  serviceTiers: ReadonlyMap<string, number>;
  /** The rule for this provider and any of the candidate names, or undefined. */
  find(provider: string | undefined, names: readonly string[]): { entry: PriceEntry; matchedName: string } | undefined;
  readonly size: number;
}

export function compileOverrides(
  overrides: PriceOverrides,
  source: string,
  canonicalProvider: (name: string) => string,
): OverrideIndex {
  const rules = new Map<string, OverrideRule>();
  for (const model of overrides.models ?? []) {
    const { kind, pattern } = matchOf(model);
    const provider = model.provider === undefined ? undefined : canonicalProvider(model.provider);
    const key = `${provider ?? '*'}\u0000${kind}\u0000${pattern}`;
    let rule = rules.get(key);
    if (rule === undefined) {
      const entry: PriceEntry = {
        provider: provider ?? '',
        model: model.id ?? (kind === 'exact' ? pattern : ''),
        source,
        schedules: [],
        fallbackToFirst: false,
      };
      rule = {
        provider,
        kind,
        pattern,
        regex: kind === 'regex' ? new RegExp(pattern, 'i') : undefined,
        entry,
        id: model.id,
      };
      rules.set(key, rule);
    }
    rule.entry.schedules.push(compileSchedule(model));
  }
  for (const rule of rules.values()) rule.entry.schedules.sort((a, b) => a.from - b.from);

  const exact = new Map<string, OverrideRule[]>();
  const prefixes: OverrideRule[] = [];
  const regexes: OverrideRule[] = [];
  for (const rule of rules.values()) {
    if (rule.kind === 'exact') {
      const list = exact.get(rule.pattern) ?? [];
      list.push(rule);
      exact.set(rule.pattern, list);
    } else if (rule.kind === 'prefix') prefixes.push(rule);
    else regexes.push(rule);
  }
  prefixes.sort((a, b) => b.pattern.length - a.pattern.length);

  const serviceTiers = new Map<string, number>(Object.entries(overrides.serviceTiers ?? {}));

  const pick = (candidates: OverrideRule[], provider: string | undefined) =>
    candidates.find((rule) => rule.provider !== undefined && rule.provider === provider) ??
    candidates.find((rule) => rule.provider === undefined);

  return {
    serviceTiers,
    size: rules.size,
    find(provider, names) {
      for (const name of names) {
        const rule = pick(exact.get(name) ?? [], provider);
        if (rule !== undefined) return { entry: rule.entry, matchedName: name };
      }
      for (const name of names) {
        const rule = pick(
          prefixes.filter((candidate) => name.startsWith(candidate.pattern)),
          provider,
        );
        if (rule !== undefined) return { entry: rule.entry, matchedName: name };
      }
      for (const name of names) {
        const rule = pick(
          regexes.filter((candidate) => candidate.regex?.test(name) === true),
          provider,
        );
        if (rule !== undefined) return { entry: rule.entry, matchedName: name };
      }
      return undefined;
    },
  };
}

function matchOf(model: PriceOverrideModel): { kind: OverrideRule['kind']; pattern: string } {
  const match = model.match;
  if (typeof match === 'string') return { kind: 'exact', pattern: match.toLowerCase() };
  if ('exact' in match) return { kind: 'exact', pattern: match.exact.toLowerCase() };
  if ('prefix' in match) return { kind: 'prefix', pattern: match.prefix.toLowerCase() };
  return { kind: 'regex', pattern: match.regex };
}

const PRICE_UNITS: ReadonlyArray<[keyof PriceOverridePrices, RateKey, number]> = [
  ['input', 'input', 1e6],
  ['output', 'output', 1e6],
  ['cacheRead', 'cacheRead', 1e6],
  ['cacheWrite', 'cacheWrite', 1e6],
  ['cacheWrite1h', 'cacheWrite1h', 1e6],
  ['inputAudio', 'inputAudio', 1e6],
  ['outputAudio', 'outputAudio', 1e6],
  ['reasoning', 'reasoning', 1e6],
  ['request', 'request', 1],
];

/** Applies USD prices on top of `base` (a copy), so unspecified prices keep the base value. */
export function ratesFromPrices(prices: PriceOverridePrices, base: RateSet = emptyRates()): RateSet {
  const rates = { ...base };
  for (const [priceKey, rateKey, per] of PRICE_UNITS) {
    const usd = prices[priceKey];
    if (usd !== undefined) rates[rateKey] = usdPerToFemtoRate(usd, per);
  }
  return rates;
}

function compileSchedule(model: PriceOverrideModel): PriceSchedule {
  const base = ratesFromPrices(model.prices);
  const tiers: RateTier[] = [...(model.tiers ?? [])]
    .sort((a, b) => a.above - b.above)
    .reduce<RateTier[]>((list, tier) => {
      const previous = list.at(-1)?.rates ?? base;
      list.push({ above: tier.above, label: `input>${tier.above}`, rates: ratesFromPrices(tier.prices, previous) });
      return list;
    }, []);
  const schedule: PriceSchedule = {
    from: model.from === undefined ? Number.NEGATIVE_INFINITY : parseFrom(model.from),
    base,
    tiers,
  };
  if (model.serviceTiers !== undefined) {
    const serviceTiers = new Map<string, number | RateSet>();
    for (const [name, value] of Object.entries(model.serviceTiers)) {
      serviceTiers.set(name, typeof value === 'number' ? value : ratesFromPrices(value, base));
    }
    schedule.serviceTiers = serviceTiers;
  }
  return schedule;
}
