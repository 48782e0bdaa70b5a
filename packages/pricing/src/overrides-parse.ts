/**
 * Validation of the price-overrides shape (the same shape whether it comes from its own file or from the
 * `prices:` section of a larger config). Every problem is reported with the source, the path inside it and what is
 * wrong; a value with any problem is rejected whole, so nothing is half-applied.
 */
import type {
  PriceOverrideMatch,
  PriceOverrideModel,
  PriceOverridePrices,
  PriceOverrides,
  PriceOverrideTier,
} from './types.js';

/** One problem, in the shape every costspan configuration problem has (`ConfigProblem` of @costspan/config). */
export interface PriceOverridesIssue {
  /** Path inside the value, e.g. `models[3].prices.input` (empty for the root). */
  path: string;
  message: string;
}

/** A rejected overrides value: `message` reads `<source>: <path>: <problem>` for each issue, one per line. */
export class PriceOverridesError extends Error {
  readonly source: string;
  readonly issues: readonly PriceOverridesIssue[];

  constructor(source: string, issues: readonly PriceOverridesIssue[]) {
    const lines = issues.map((issue) => `${source}: ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
    super(lines.length === 1 ? (lines[0] as string) : `${source}: invalid price overrides\n${lines.join('\n')}`);
    this.name = 'PriceOverridesError';
    this.source = source;
    this.issues = issues;
  }
}

export const PRICE_KEYS: readonly (keyof PriceOverridePrices)[] = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite',
  'cacheWrite1h',
  'inputAudio',
  'outputAudio',
  'reasoning',
  'request',
];

export const ROOT_KEYS = ['currency', 'serviceTiers', 'models'];
export const MODEL_KEYS = ['match', 'provider', 'id', 'from', 'prices', 'tiers', 'serviceTiers'];
const MATCH_KINDS = ['exact', 'prefix', 'regex'];
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/;
const MAX_ISSUES = 20;

/**
 * Validates an already-parsed value (from YAML, JSON or a config section) as price overrides.
 * `sourceLabel` names where it came from in error messages (a file path, or `config.yaml#prices`).
 * Throws PriceOverridesError listing every problem; returns a validated copy otherwise.
 */
export function parsePriceOverrides(value: unknown, sourceLabel: string): PriceOverrides {
  const issues: PriceOverridesIssue[] = [];
  const report = (path: string, problem: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message: problem });
  };
  const result: PriceOverrides = {};

  if (value === null || value === undefined) return result;
  if (!isRecord(value)) {
    report('', `expected a mapping with 'models' and/or 'serviceTiers', got ${kind(value)}`);
    throw new PriceOverridesError(sourceLabel, issues);
  }
  unknownKeys(value, ROOT_KEYS, '', report);
  if (value.currency !== undefined) {
    if (value.currency !== 'USD') report('currency', `only 'USD' is supported, got ${show(value.currency)}`);
    else result.currency = 'USD';
  }
  if (value.serviceTiers !== undefined) {
    const tiers = multipliers(value.serviceTiers, 'serviceTiers', report);
    if (tiers !== undefined) result.serviceTiers = tiers;
  }
  if (value.models !== undefined) {
    if (!Array.isArray(value.models)) report('models', `expected a list, got ${kind(value.models)}`);
    else result.models = value.models.map((item, index) => model(item, `models[${index}]`, report));
  }
  if (issues.length > 0) throw new PriceOverridesError(sourceLabel, issues);
  return result;
}

type Report = (path: string, problem: string) => void;

function model(value: unknown, path: string, report: Report): PriceOverrideModel {
  const out: PriceOverrideModel = { match: '', prices: {} };
  if (!isRecord(value)) {
    report(path, `expected a mapping with 'match' and 'prices', got ${kind(value)}`);
    return out;
  }
  unknownKeys(value, MODEL_KEYS, path, report);
  out.match = match(value.match, `${path}.match`, report);
  for (const key of ['provider', 'id'] as const) {
    const text = value[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text.trim() === '')
      report(`${path}.${key}`, `expected a non-empty string, got ${show(text)}`);
    else out[key] = text.trim();
  }
  if (value.from !== undefined) {
    const from = value.from instanceof Date ? value.from.toISOString() : value.from;
    if (typeof from !== 'string' || !(DATE_ONLY.test(from) || DATE_TIME.test(from)) || Number.isNaN(parseFrom(from))) {
      report(
        `${path}.from`,
        `expected an ISO 8601 date such as 2025-06-10 or 2025-06-10T00:00:00Z, got ${show(value.from)}`,
      );
    } else out.from = from;
  }
  if (value.prices === undefined)
    report(`${path}.prices`, 'is required (USD per million tokens, e.g. { input: 2.5, output: 10 })');
  else {
    out.prices = prices(value.prices, `${path}.prices`, report);
    if (
      isRecord(value.prices) &&
      !['input', 'output', 'request'].some(
        (key) => value.prices && (value.prices as Record<string, unknown>)[key] !== undefined,
      )
    ) {
      report(
        `${path}.prices`,
        "needs at least one of 'input', 'output' or 'request' (use 0 for a free or self-hosted model)",
      );
    }
  }
  if (value.tiers !== undefined) {
    if (!Array.isArray(value.tiers)) report(`${path}.tiers`, `expected a list, got ${kind(value.tiers)}`);
    else out.tiers = value.tiers.map((tier, index) => longContextTier(tier, `${path}.tiers[${index}]`, report));
  }
  if (value.serviceTiers !== undefined) {
    const tiers = value.serviceTiers;
    if (!isRecord(tiers))
      report(`${path}.serviceTiers`, `expected a mapping of tier name to multiplier or prices, got ${kind(tiers)}`);
    else {
      const outTiers: Record<string, number | PriceOverridePrices> = {};
      for (const [name, tier] of Object.entries(tiers)) {
        const tierPath = `${path}.serviceTiers.${name}`;
        if (typeof tier === 'number') {
          if (validNumber(tier)) outTiers[name.toLowerCase()] = tier;
          else report(tierPath, `expected a non-negative multiplier or a prices mapping, got ${show(tier)}`);
        } else outTiers[name.toLowerCase()] = prices(tier, tierPath, report);
      }
      out.serviceTiers = outTiers;
    }
  }
  return out;
}

function match(value: unknown, path: string, report: Report): PriceOverrideMatch {
  if (typeof value === 'string') {
    if (value.trim() === '') report(path, 'must not be empty');
    return value.trim();
  }
  if (!isRecord(value)) {
    report(path, `expected a model name or one of { exact }, { prefix }, { regex }, got ${kind(value)}`);
    return '';
  }
  const kinds = Object.keys(value);
  if (kinds.length !== 1 || !MATCH_KINDS.includes(kinds[0] as string)) {
    report(
      path,
      `expected exactly one of 'exact', 'prefix' or 'regex', got ${kinds.length === 0 ? 'none' : kinds.map((k) => `'${k}'`).join(', ')}`,
    );
    return '';
  }
  const matchKind = kinds[0] as 'exact' | 'prefix' | 'regex';
  const text = value[matchKind];
  const textPath = `${path}.${matchKind}`;
  if (typeof text !== 'string' || text.trim() === '') {
    report(textPath, `expected a non-empty string, got ${show(text)}`);
    return '';
  }
  if (matchKind === 'regex') {
    try {
      new RegExp(text, 'i');
    } catch (error) {
      report(textPath, `is not a valid regular expression: ${(error as Error).message}`);
    }
    return { regex: text };
  }
  return matchKind === 'exact' ? { exact: text.trim() } : { prefix: text.trim() };
}

function prices(value: unknown, path: string, report: Report): PriceOverridePrices {
  const out: PriceOverridePrices = {};
  if (!isRecord(value)) {
    report(path, `expected a mapping of price names (${PRICE_KEYS.join(', ')}) to USD amounts, got ${kind(value)}`);
    return out;
  }
  unknownKeys(value, PRICE_KEYS as readonly string[], path, report);
  for (const key of PRICE_KEYS) {
    const price = value[key];
    if (price === undefined) continue;
    if (!validNumber(price)) {
      const unit = key === 'request' ? 'USD per request' : 'USD per million tokens';
      report(`${path}.${key}`, `expected a non-negative number (${unit}), got ${show(price)}`);
    } else out[key] = price;
  }
  return out;
}

function longContextTier(value: unknown, path: string, report: Report): PriceOverrideTier {
  const out: PriceOverrideTier = { above: 0, prices: {} };
  if (!isRecord(value)) {
    report(path, `expected a mapping with 'above' and 'prices', got ${kind(value)}`);
    return out;
  }
  unknownKeys(value, ['above', 'prices'], path, report);
  if (typeof value.above !== 'number' || !Number.isSafeInteger(value.above) || value.above <= 0) {
    report(`${path}.above`, `expected a positive whole number of input tokens, got ${show(value.above)}`);
  } else out.above = value.above;
  if (value.prices === undefined) report(`${path}.prices`, 'is required');
  else out.prices = prices(value.prices, `${path}.prices`, report);
  return out;
}

function multipliers(value: unknown, path: string, report: Report): Record<string, number> | undefined {
  if (!isRecord(value)) {
    report(path, `expected a mapping of tier name to multiplier (e.g. batch: 0.5), got ${kind(value)}`);
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const [name, multiplier] of Object.entries(value)) {
    if (!validNumber(multiplier))
      report(`${path}.${name}`, `expected a non-negative multiplier, got ${show(multiplier)}`);
    else out[name.toLowerCase()] = multiplier;
  }
  return out;
}

/** Epoch milliseconds of a validated `from` value; a date without a time or offset means UTC. */
export function parseFrom(from: string): number {
  if (DATE_ONLY.test(from)) return Date.parse(`${from}T00:00:00Z`);
  return Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(from) ? from : `${from}Z`);
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const where = path === '' ? key : `${path}.${key}`;
      report(where, `unknown key; expected one of ${allowed.join(', ')}`);
    }
  }
}

function validNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${show(value)}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'a mapping';
  return String(value);
}
