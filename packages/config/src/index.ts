// @costspan/config: the shared configuration sections, parsed once for every door
export { type AttributionConfig, attributionKeys, parseAttribution } from './attribution.js';
export { BUDGET_WINDOWS, type BudgetConfig, type BudgetWindow, parseBudgets } from './budgets.js';
export { parseCompat } from './compat.js';
export { ConfigError } from './config-error.js';
export { parseCosts } from './costs.js';
export { parseGpu } from './gpu.js';
export { loadPricesFile, type PricesConfig, parsePrices } from './prices.js';
export { type ConfigProblem, formatProblem } from './problem.js';
export { readConfigFile } from './read-config-file.js';
export { parseResources } from './resources.js';
export { type SectionContext, type SectionParser, type SharedSection, sharedSection } from './section.js';
export {
  parseSharedConfig,
  RULE_SECTION_KEYS,
  SHARED_SECTION_KEYS,
  SHARED_SECTIONS,
  type SharedConfig,
} from './shared-config.js';
