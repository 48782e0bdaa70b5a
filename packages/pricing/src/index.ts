export { CATALOG_PACKAGE, CATALOG_SOURCE, CATALOG_VERSION } from './catalog.js';
export {
  catalogProviderId,
  type ListCatalogModelsOptions,
  listCatalogModels,
  type ModelSuggestion,
  suggestModels,
} from './catalog-list.js';
export { DEFAULT_SERVICE_TIERS } from './catalog-patches.js';
export {
  displayUsd,
  divRound,
  formatUsd,
  MoneyParseError,
  NANOS_PER_USD,
  nanosToUsd,
  parseCents,
  parseDecimalToNanos,
  parseUsd,
  ratio,
  usdToNanos,
} from './money.js';
export { isAnthropicFamily, isGoogleFamily, modelKey, otelProviderName, providerKey } from './names.js';
export { type LoadedPriceOverrides, loadPriceOverridesFile } from './overrides-load.js';
export { PriceOverridesError, type PriceOverridesIssue, parsePriceOverrides } from './overrides-parse.js';
export {
  createPriceBook,
  type PriceRateSet,
  priceBookRateCard,
  type RateCard,
  type RateCardKey,
  type RateCardRule,
} from './price-book.js';
export type {
  CatalogModel,
  PriceBook,
  PriceBookOptions,
  PriceComponents,
  PricedResult,
  PriceNanos,
  PriceOverrideMatch,
  PriceOverrideModel,
  PriceOverridePrices,
  PriceOverrides,
  PriceOverrideTier,
  PriceRequest,
  PriceResult,
  TokenUsage,
  UnpricedResult,
} from './types.js';
