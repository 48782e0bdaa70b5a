/**
 * COSTSPAN_CONFIG (YAML or JSON) and COSTSPAN_PRICES: read, validated by @costspan/config and turned into
 * CostSpanProcessor options. Every problem names the file and the key; nothing of an invalid configuration is applied.
 */
import { dirname, resolve } from 'node:path';
import type { GpuConfig } from '@costspan/allocation';
import {
  attributionKeys,
  type BudgetConfig,
  ConfigError,
  type ConfigProblem,
  loadPricesFile,
  type PricesConfig,
  parseCosts,
  parseResources,
  parseSharedConfig,
  RULE_SECTION_KEYS,
  readConfigFile,
  SHARED_SECTION_KEYS,
} from '@costspan/config';
import type { AttributionKeys, CompatSwitch, CostRuleConfig, SharedResourceConfig } from '@costspan/core';
import { createPriceBook, type PriceBook } from '@costspan/pricing';

/** One problem: where (`gpu.nodes[0].hourlyRate`), what, and in which file when not the configuration itself. */
export type CostspanConfigIssue = ConfigProblem;

/**
 * An invalid costspan configuration: `problems` (also `issues`) lists every one; `message` is one line,
 * `<source>: <path>: <problem>[; ...]`.
 */
export class CostspanConfigError extends ConfigError {
  override name = 'CostspanConfigError';
  /** The configuration file (or `startCostspan({ config })`). */
  declare readonly source: string;
  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(problems, { source });
  }
  /** The same list as `problems`. */
  get issues(): readonly ConfigProblem[] {
    return this.problems;
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

/** The shared sections, then the cost-rule sections (whose bad entries are skipped, not fatal). */
const KNOWN_KEYS: readonly string[] = [...SHARED_SECTION_KEYS, ...RULE_SECTION_KEYS];

/** Sections of the same file read by the costspan collector; left to it. */
const COLLECTOR_KEYS = ['receivers', 'processors', 'exporters', 'service', 'extensions', 'connectors'];

/**
 * Reads and validates the configuration. Throws CostspanConfigError listing every problem with its file and key.
 * Returns the processor options, or the defaults (bundled catalog prices) when no source is given.
 */
export function resolveCostspanConfig(sources: CostspanConfigSources): ResolvedCostspanConfig {
  let doc: unknown;
  let label = 'startCostspan({ config })';
  let baseDir = process.cwd();
  const problems: ConfigProblem[] = [];
  if (sources.config !== undefined) doc = sources.config;
  else if (sources.configFile !== undefined) {
    const path = resolve(sources.configFile);
    label = path;
    baseDir = dirname(path);
    doc = readConfigFile(path, problems);
    if (problems.length > 0) throw new CostspanConfigError(label, problems);
  }

  const root = doc ?? {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new CostspanConfigError(label, [{ path: '', message: 'expected a mapping' }]);
  }
  const document = root as Record<string, unknown>;
  for (const key of Object.keys(document)) {
    if (!KNOWN_KEYS.includes(key) && !COLLECTOR_KEYS.includes(key)) {
      problems.push({ path: key, message: `unknown section (expected ${KNOWN_KEYS.join(', ')})` });
    }
  }

  // COSTSPAN_PRICES replaces the document's `prices`, which is then neither read nor checked.
  const pricesPath = sources.pricesFile === undefined ? undefined : resolve(sources.pricesFile);
  const shared = parseSharedConfig(pricesPath === undefined ? document : { ...document, prices: undefined }, problems, {
    baseDir,
  });
  const warnings: string[] = [];
  let pricesFile: PricesConfig | undefined;
  if (pricesPath !== undefined) {
    if (document.prices !== undefined) {
      warnings.push(`COSTSPAN_PRICES (${pricesPath}) is used; the 'prices' section of ${label} is ignored`);
    }
    pricesFile = loadPricesFile(pricesPath, problems);
  }

  if (problems.length > 0) throw new CostspanConfigError(label, problems);
  // Cost rules: a bad entry is reported and skipped, the rest of the configuration runs.
  const ruleProblems: ConfigProblem[] = [];
  const costs = parseCosts(document.costs, 'costs', ruleProblems);
  const resources = parseResources(document.resources, 'resources', ruleProblems);
  const ruleErrors = ruleProblems.map((p) => `${label}: ${p.path}: ${p.message} (entry skipped)`);
  const prices = pricesFile ?? shared.prices;
  const attribution = attributionKeys(shared.attribution);
  const maxTenants = shared.attribution?.maxTenants;
  return {
    costs,
    resources,
    ruleErrors,
    priceBook: createPriceBook(prices === undefined ? {} : { overrides: prices.overrides }),
    ...(attribution === undefined ? {} : { attribution }),
    ...(maxTenants === undefined ? {} : { maxTenants }),
    compat: shared.compat ?? [],
    ...(shared.gpu === undefined ? {} : { gpu: shared.gpu }),
    budgets: shared.budgets ?? [],
    warnings,
  };
}
