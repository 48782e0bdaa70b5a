/** Public types of @costspan/pricing. */

/**
 * Token usage of one inference operation, with OpenTelemetry GenAI semantics: `inputTokens` counts ALL input
 * (cached included) and `outputTokens` ALL output (reasoning included); the other fields are subsets.
 *
 * The one usage type of costspan: every package that models usage uses these names (the cost core's normalized
 * `InferenceUsage` has all of them, the allocator's `AllocationUsage` and the instrumentations' call usage pick
 * some), so a count keeps one name from the SDK to the store.
 */
export interface TokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** Subset of inputTokens read from a prompt cache. */
  cacheReadTokens?: number;
  /** Subset of inputTokens written to a prompt cache (5-minute and 1-hour writes together). */
  cacheWriteTokens?: number;
  /** Subset of cacheWriteTokens written with a 1-hour time to live (Anthropic). */
  cacheWrite1hTokens?: number;
  /** Subset of inputTokens that were audio. */
  inputAudioTokens?: number;
  /** Subset of outputTokens spent on reasoning / thinking. */
  reasoningTokens?: number;
  /** Subset of outputTokens that were audio. */
  outputAudioTokens?: number;
  /** Billable requests for per-request fees; defaults to 1. */
  requests?: number;
}

/** One pricing question. */
export interface PriceRequest {
  /** OTel `gen_ai.provider.name` (e.g. `gcp.gemini`), an AI-SDK provider id (`openai.chat`) or a catalog provider id. */
  provider?: string;
  /** The model as reported: 'gpt-4o-2024-08-06', 'openai/gpt-4o', 'models/gemini-2.5-flash', 'claude-sonnet-4-0'. */
  model: string;
  usage: TokenUsage;
  /** Request time; selects the effective price. Defaults to now. */
  timestamp?: Date | number;
  /** Service tier actually served: 'default' | 'batch' | 'flex' | 'priority' or a tier named in the overrides. */
  serviceTier?: string;
}

/** USD amounts per component. */
export interface PriceComponents {
  /** Uncached input tokens (text and audio). */
  input: number;
  /** Output tokens, reasoning and audio included. */
  output: number;
  cacheRead: number;
  /** Cache writes, 5-minute and 1-hour together. */
  cacheWrite: number;
  /** Per-request fees. */
  request: number;
}

/** The same amounts as exact integers in nano-dollars (1e-9 USD); `amount` is exactly the sum of the others. */
export interface PriceNanos extends PriceComponents {
  amount: number;
}

export interface PricedResult {
  /** 'partial' when the model was found but some usage had no price: the amount covers the rest (see `reason`). */
  status: 'priced' | 'partial';
  /** Total in USD: nanos.amount / 1e9. */
  amount: number;
  currency: 'USD';
  components: PriceComponents;
  /** Exact integer nano-dollars; sum these, not the floats. */
  nanos: PriceNanos;
  /** Provider id of the price entry that matched (catalog id, or the override's provider). */
  provider: string;
  /** Model id of the price entry that matched. */
  model: string;
  /** '@pydantic/genai-prices@0.1.8' or 'overrides:<file>#<hash>'. */
  source: string;
  /** The long-context tier applied, e.g. 'input>200000'; absent for the base tier. */
  tier?: string;
  /** The service tier whose price was applied. */
  serviceTier: string;
  /** Why the result is partial. */
  reason?: string;
}

export interface UnpricedResult {
  status: 'unpriced';
  reason: string;
}

export type PriceResult = PricedResult | UnpricedResult;

/** Prices in USD: tokens per million tokens, `request` per request. */
export interface PriceOverridePrices {
  input?: number;
  output?: number;
  cacheRead?: number;
  /** 5-minute cache writes (and all cache writes when cacheWrite1h is absent). */
  cacheWrite?: number;
  cacheWrite1h?: number;
  inputAudio?: number;
  outputAudio?: number;
  /** Reasoning tokens, when billed differently from other output. */
  reasoning?: number;
  /** Fee per request. */
  request?: number;
}

/** How an override entry matches the model name (case-insensitive). A plain string means `{ exact }`. */
export type PriceOverrideMatch = string | { exact: string } | { prefix: string } | { regex: string };

/** A long-context tier: when input tokens are strictly above `above`, these prices apply to the whole request. */
export interface PriceOverrideTier {
  above: number;
  prices: PriceOverridePrices;
}

export interface PriceOverrideModel {
  match: PriceOverrideMatch;
  /** Restrict to one provider (OTel name or catalog id); absent = any provider. */
  provider?: string;
  /** Model id to report; defaults to the match text. */
  id?: string;
  /** Effective from this date or instant (ISO 8601, UTC when no offset); absent = always. */
  from?: string;
  prices: PriceOverridePrices;
  tiers?: PriceOverrideTier[];
  /** Per-service-tier multipliers (0.5) or explicit flat prices for this model. */
  serviceTiers?: Record<string, number | PriceOverridePrices>;
}

/** The overrides file (YAML or JSON); see schema/price-overrides.schema.json. */
export interface PriceOverrides {
  currency?: 'USD';
  /** Service-tier multipliers for every model; replaces the built-in defaults tier by tier. */
  serviceTiers?: Record<string, number>;
  models?: PriceOverrideModel[];
}

export interface PriceBookOptions {
  /** Overrides object or a path to a YAML/JSON overrides file (read synchronously, validated up front). */
  overrides?: PriceOverrides | string;
  currency?: 'USD';
  /** Maximum memoized (provider, model) lookups before the memo is reset; default 10,000. */
  memoLimit?: number;
}

export interface PriceBook {
  /** Synchronous, never throws. */
  price(request: PriceRequest): PriceResult;
  /** The catalog and overrides in use, e.g. '@pydantic/genai-prices@0.1.8 + overrides:prices.yaml#3fa2c1d0'. */
  readonly source: string;
}

/** One catalog model as listed by `listCatalogModels`. Prices in USD per million tokens (current prices). */
export interface CatalogModel {
  provider: string;
  model: string;
  name?: string;
  prices: PriceOverridePrices;
  /** Long-context tiers of the current price. */
  tiers?: PriceOverrideTier[];
  /** True when the catalog carries dated price history or time-of-day prices for this model. */
  dated: boolean;
}
