/**
 * COSTSPAN_CONFIG (YAML or JSON) and COSTSPAN_PRICES: read, validated and turned into CostSpanProcessor options.
 * Every problem names the file and the key; nothing of an invalid configuration is applied.
 */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type GpuConfig, GpuConfigError, resolveGpuConfig } from '@costspan/allocation';
import { type ConfigProblem, parseCosts, parseResources } from '@costspan/config';
import type { CostRuleConfig, SharedResourceConfig } from '@costspan/core';
import { type AttributionKeys, COMPAT_SWITCHES, type CompatSwitch } from '@costspan/core';
import {
  createPriceBook,
  loadPriceOverridesFile,
  type PriceBook,
  type PriceOverrides,
  PriceOverridesError,
  parsePriceOverrides,
} from '@costspan/pricing';
import { type BudgetConfig, parseBudgets } from '@costspan/processor';
import { parse as parseYaml } from 'yaml';

/** One problem: in which file (or `startCostspan({ config })`), where (`gpu.nodes[0].hourlyRate`) and what. */
export interface CostspanConfigIssue {
  source: string;
  path: string;
  message: string;
}

/** An invalid costspan configuration. `message` is one line: `<source>: <path>: <problem>[; ...]`. */
export class CostspanConfigError extends Error {
  /** The configuration file (or `startCostspan({ config })`). */
  readonly source: string;
  readonly issues: readonly CostspanConfigIssue[];
  constructor(source: string, issues: readonly CostspanConfigIssue[]) {
    super(issues.map((i) => `${i.source}: ${i.path === '' ? '(root)' : i.path}: ${i.message}`).join('; '));
    this.name = 'CostspanConfigError';
    this.source = source;
    this.issues = issues;
  }
}

/** What the configuration resolves to: the options of the CostSpanProcessor. */
export interface ResolvedCostspanConfig {
  priceBook: PriceBook;
  attribution?: AttributionKeys;
  maxTenants?: number;
  compat: CompatSwitch[];
  /** The `gpu` section, validated (the CostSpanProcessor's `gpu` option). */
  gpu?: GpuConfig;
  /** The `budgets` section, validated (enforced by the costspan collector; `checkBudget` asks it). */
  budgets: BudgetConfig[];
  /** Things that are valid but worth a warning. */
  warnings: string[];
  /** The `costs` and `resources` sections: the entries without a problem (the processor's options). */
  costs: CostRuleConfig[];
  resources: SharedResourceConfig[];
  /** One line per problem in `costs` / `resources` (its entry is skipped; everything else runs). */
  ruleErrors: string[];
}

export interface CostspanConfigSources {
  /** Path of the COSTSPAN_CONFIG file. */
  configFile?: string;
  /** The configuration as an object (instead of a file). */
  config?: unknown;
  /** Path of the COSTSPAN_PRICES overrides file; used instead of the config's `prices`. */
  pricesFile?: string;
}

const TOP_KEYS = ['prices', 'gpu', 'attribution', 'compat', 'budgets', 'costs', 'resources'];
/** Sections of the same file read by the costspan collector; left to it. */
const COLLECTOR_KEYS = ['receivers', 'processors', 'exporters', 'service', 'extensions', 'connectors'];
const ATTRIBUTION_KEYS = ['featureKeys', 'tenantKeys', 'maxTenants'];

/**
 * Reads and validates the configuration. Throws CostspanConfigError listing every problem with its file and key.
 * Returns the processor options, or the defaults (bundled catalog prices) when no source is given.
 */
export function resolveCostspanConfig(sources: CostspanConfigSources): ResolvedCostspanConfig {
  let doc: unknown;
  let label = 'startCostspan({ config })';
  let baseDir = process.cwd();
  if (sources.config !== undefined) doc = sources.config;
  else if (sources.configFile !== undefined) {
    const path = resolve(sources.configFile);
    label = path;
    baseDir = dirname(path);
    doc = readConfigFile(path);
  }

  const issues: CostspanConfigIssue[] = [];
  const warnings: string[] = [];
  const fail = (path: string, message: string) => issues.push({ source: label, path, message });
  const root = doc ?? {};
  if (!isRecord(root)) {
    throw new CostspanConfigError(label, [{ source: label, path: '', message: 'expected a mapping' }]);
  }
  for (const key of Object.keys(root)) {
    if (!TOP_KEYS.includes(key) && !COLLECTOR_KEYS.includes(key)) {
      fail(key, `unknown section (expected ${TOP_KEYS.join(', ')})`);
    }
  }

  const compat = compatSwitches(root.compat, fail);
  const { attribution, maxTenants } = attributionSection(root.attribution, fail);
  const budgets = parseBudgets(root.budgets, fail);

  let gpu: GpuConfig | undefined;
  if (root.gpu !== undefined) {
    try {
      resolveGpuConfig(root.gpu);
      gpu = root.gpu as GpuConfig;
    } catch (error) {
      if (!(error instanceof GpuConfigError)) throw error;
      for (const issue of error.issues) fail(issue.path, issue.message);
    }
  }

  let overrides: PriceOverrides | undefined;
  const pricesPath =
    sources.pricesFile !== undefined
      ? resolve(sources.pricesFile)
      : typeof root.prices === 'string'
        ? resolve(baseDir, root.prices)
        : undefined;
  if (sources.pricesFile !== undefined && root.prices !== undefined) {
    warnings.push(`COSTSPAN_PRICES (${pricesPath}) is used; the 'prices' section of ${label} is ignored`);
  }
  try {
    if (pricesPath !== undefined) overrides = loadPriceOverridesFile(pricesPath).overrides;
    else if (root.prices !== undefined) overrides = parsePriceOverrides(root.prices, label);
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    for (const issue of error.issues) {
      if (pricesPath !== undefined) issues.push({ source: pricesPath, path: issue.path, message: issue.problem });
      else fail(issue.path === '' ? 'prices' : `prices.${issue.path}`, issue.problem);
    }
  }

  if (issues.length > 0) throw new CostspanConfigError(label, issues);
  // Cost rules: a bad entry is reported and skipped, the rest of the configuration runs.
  const ruleProblems: ConfigProblem[] = [];
  const costs = parseCosts(root.costs, 'costs', ruleProblems);
  const resources = parseResources(root.resources, 'resources', ruleProblems);
  const ruleErrors = ruleProblems.map((p) => `${label}: ${p.path}: ${p.message} (entry skipped)`);
  return {
    costs,
    resources,
    ruleErrors,
    priceBook: createPriceBook(overrides === undefined ? {} : { overrides }),
    ...(attribution === undefined ? {} : { attribution }),
    ...(maxTenants === undefined ? {} : { maxTenants }),
    compat,
    ...(gpu === undefined ? {} : { gpu }),
    budgets,
    warnings,
  };
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`;
    throw new CostspanConfigError(path, [{ source: path, path: '', message }]);
  }
  try {
    return path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? 'syntax error';
    const format = path.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML';
    throw new CostspanConfigError(path, [{ source: path, path: '', message: `not valid ${format}: ${first}` }]);
  }
}

function compatSwitches(value: unknown, fail: (path: string, message: string) => void): CompatSwitch[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail('compat', `expected a list of switches (${COMPAT_SWITCHES.join(', ')})`);
    return [];
  }
  const out: CompatSwitch[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && (COMPAT_SWITCHES as readonly string[]).includes(item)) {
      out.push(item as CompatSwitch);
    } else fail(`compat[${i}]`, `unknown switch ${JSON.stringify(item)} (${COMPAT_SWITCHES.join(', ')})`);
  });
  return out;
}

function attributionSection(
  value: unknown,
  fail: (path: string, message: string) => void,
): { attribution?: AttributionKeys; maxTenants?: number } {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    fail('attribution', 'expected a mapping with featureKeys, tenantKeys and/or maxTenants');
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!ATTRIBUTION_KEYS.includes(key)) fail(`attribution.${key}`, `unknown key (${ATTRIBUTION_KEYS.join(', ')})`);
  }
  const keys = (name: 'featureKeys' | 'tenantKeys'): string[] | undefined => {
    const list = value[name];
    if (list === undefined) return undefined;
    if (!Array.isArray(list) || list.length === 0 || list.some((k) => typeof k !== 'string' || k.trim() === '')) {
      fail(`attribution.${name}`, 'expected a non-empty list of baggage entry / attribute names');
      return undefined;
    }
    return list as string[];
  };
  const featureKeys = keys('featureKeys');
  const tenantKeys = keys('tenantKeys');
  let maxTenants: number | undefined;
  if (value.maxTenants !== undefined) {
    if (typeof value.maxTenants === 'number' && Number.isSafeInteger(value.maxTenants) && value.maxTenants > 0) {
      maxTenants = value.maxTenants;
    } else fail('attribution.maxTenants', 'expected a positive whole number');
  }
  const attribution: AttributionKeys = {
    ...(featureKeys === undefined ? {} : { featureKeys }),
    ...(tenantKeys === undefined ? {} : { tenantKeys }),
  };
  return {
    ...(featureKeys === undefined && tenantKeys === undefined ? {} : { attribution }),
    ...(maxTenants === undefined ? {} : { maxTenants }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
