import {
  usdToNanos as amountToNanos,
  createPriceBook,
  nanosToUsd,
  type PriceBook,
  type PricedResult,
} from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_CACHE_READ,
  ATTR_COSTSPAN_COST_CACHE_WRITE,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_OUTPUT,
  ATTR_COSTSPAN_COST_REQUEST,
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_PRICING_DUPLICATE_OF,
  ATTR_COSTSPAN_PRICING_MODEL,
  ATTR_COSTSPAN_PRICING_PROVIDER,
  ATTR_COSTSPAN_PRICING_REASON,
  ATTR_COSTSPAN_PRICING_SERVICE_TIER,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_COSTSPAN_PRICING_TIER,
  ATTR_COSTSPAN_TENANT,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  ATTR_LLM_COST_COMPLETION,
  ATTR_LLM_COST_PROMPT,
  ATTR_LLM_COST_TOTAL,
  ATTR_OPERATION_COST,
  COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE,
  COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL,
  COSTSPAN_PRICING_STATUS_VALUE_PARTIAL,
  COSTSPAN_PRICING_STATUS_VALUE_PRICED,
  COSTSPAN_PRICING_STATUS_VALUE_UNPRICED,
  GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
  GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER,
} from '@costspan/semconv';
import { type AttributionKeys, attributionValue, DEFAULT_FEATURE_KEYS, DEFAULT_TENANT_KEYS } from './attribution.js';
import { findInvalidCount } from './dialect-table.js';
import type { InferenceUsage } from './inference-usage.js';
import { normalizeInference } from './normalize.js';
import type { AttrValue, SpanRecord } from './record.js';

/** Extra cost attribute names for tools that already read cost. Never on by default. */
export type CompatSwitch = 'openlit-langfuse' | 'openinference' | 'logfire';

export const COMPAT_SWITCHES: readonly CompatSwitch[] = ['openlit-langfuse', 'openinference', 'logfire'];

/**
 * Which cost attributes a priced span gets. `full` (the default): amount, currency, source, status (and reason),
 * feature, tenant, the `costspan.cost.*` components and the `costspan.pricing.*` provenance. `essential`: amount,
 * currency, source, status (and reason, when unpriced or partial), feature and tenant — for pipelines where each
 * exported attribute counts; metrics and `costspan.cost.subtree` are the same either way.
 */
export type CostAttributeSet = 'full' | 'essential';

export interface CostCoreOptions {
  /** Default: `createPriceBook()` (the bundled catalog). */
  priceBook?: PriceBook;
  /** Compatibility names to write besides the OTel/costspan ones. */
  compat?: readonly CompatSwitch[];
  attribution?: AttributionKeys;
  /** Default `full`. */
  attributes?: CostAttributeSet;
}

/** What the door knows about a span's descendants that already ended (in-process or in the same fragment). */
export interface AnnotateContext {
  /** Inference spans (priced or not) beneath this span. A span with any is a wrapper and is never priced. */
  descendantCalls?: number;
  /**
   * The span id of another span of the same model call that carries (or will carry) the price: this one is
   * annotated `duplicate` and pointed at it. Set by the door from its open-call tracking or response-id window.
   */
  duplicateOf?: string;
}

/** `costspan.pricing.reason` of a model call that ended without token counts. */
export const REASON_NO_USAGE = 'no_usage';

/**
 * - `priced` / `partial`: priced locally from usage and the price book (`gen_ai.usage.cost.source = local`).
 * - `provider`: the span already carried an amount reported by the provider or a gateway; kept as the price.
 * - `unpriced`: no price could be found; a reason and NO amount.
 * - `existing`: the span was already annotated by costspan upstream; nothing is written.
 * - `duplicate`: another span of the same call carries the price (`AnnotateContext.duplicateOf`); no amount.
 * - `external`: the span carries another tool's cost (OpenLIT, OpenInference, Langfuse); it is kept as the
 *   amount, its source is named, no competing total is written.
 */
export type CostOutcome = 'priced' | 'partial' | 'provider' | 'unpriced' | 'existing' | 'duplicate' | 'external';

export interface CostAnnotation {
  outcome: CostOutcome;
  usage: InferenceUsage;
  /** Attributes to set on the span, most important first (so span attribute limits drop the least useful). */
  attributes: Record<string, AttrValue>;
  /** The operation's cost in integer nano-units of `currency`; absent when unpriced. */
  amountNanos?: number;
  /** Float amount (amountNanos / 1e9) as written to `gen_ai.usage.cost.amount`. */
  amount?: number;
  currency?: string;
  /** Why unpriced or partial. */
  reason?: string;
  feature?: string;
  tenant?: string;
  /** The price-book match, for `priced` / `partial`. */
  price?: PricedResult;
}

export interface CostCore {
  /**
   * Prices one span. `undefined` for spans that are not model calls or must not be priced (agent, workflow and
   * outer SDK spans, and any span with inference descendants: it repeats their usage). Never throws for any
   * attribute values; the price book is synchronous and never throws.
   */
  annotate(record: SpanRecord, context?: AnnotateContext): CostAnnotation | undefined;
  readonly priceBook: PriceBook;
  readonly compat: readonly CompatSwitch[];
  readonly attribution: AttributionKeys;
  /** The attribute set written on priced spans. */
  readonly attributes: CostAttributeSet;
}

/** The cost core: normalization → pricing → attribution → the attribute set to write. No SDK types. */
export function createCostCore(options: CostCoreOptions = {}): CostCore {
  const priceBook = options.priceBook ?? createPriceBook();
  const compat = (options.compat ?? []).filter((c) => COMPAT_SWITCHES.includes(c));
  const attribution = options.attribution ?? {};
  const featureKeys = attribution.featureKeys ?? DEFAULT_FEATURE_KEYS;
  const tenantKeys = attribution.tenantKeys ?? DEFAULT_TENANT_KEYS;
  const compatOpenlit = compat.includes('openlit-langfuse');
  const compatOpenInference = compat.includes('openinference');
  const compatLogfire = compat.includes('logfire');
  const attributeSet: CostAttributeSet = options.attributes === 'essential' ? 'essential' : 'full';
  const full = attributeSet === 'full';

  const writeCompatTotal = (attrs: Record<string, AttrValue>, amount: number) => {
    if (compatOpenlit) attrs[ATTR_GEN_AI_USAGE_COST] = amount;
    if (compatOpenInference) attrs[ATTR_LLM_COST_TOTAL] = amount;
    if (compatLogfire) attrs[ATTR_OPERATION_COST] = amount;
  };

  return {
    priceBook,
    compat,
    attribution,
    attributes: attributeSet,
    annotate(record, context) {
      // A span with model calls beneath repeats their usage: not priced (unless the door knows which call it
      // repeats, then it says so as a duplicate).
      if (context?.descendantCalls !== undefined && context.descendantCalls > 0 && context.duplicateOf === undefined) {
        return undefined;
      }
      const usage = normalizeInference(record);
      if (usage === null) return undefined;
      const spanAttrs = record.attributes;
      if (spanAttrs[ATTR_COSTSPAN_PRICING_STATUS] !== undefined) {
        const nanos = usage.existingCost ? amountToNanos(usage.existingCost.amount) : undefined;
        return {
          outcome: 'existing',
          usage,
          attributes: {},
          amountNanos: nanos,
          amount: usage.existingCost?.amount,
          currency: usage.existingCost?.currency,
          // Who the upstream annotation attributed it to, so stores and metrics downstream read one source.
          feature: attributionValue(record, featureKeys),
          tenant: attributionValue(record, tenantKeys),
        };
      }
      // Feature and tenant as `resolveAttribution` resolves them, without its result object.
      const feature = attributionValue(record, featureKeys);
      const tenant = attributionValue(record, tenantKeys);
      // Written unless already on the span under the costspan name.
      const newFeature = feature !== undefined && spanAttrs[ATTR_COSTSPAN_FEATURE] !== feature ? feature : undefined;
      const newTenant = tenant !== undefined && spanAttrs[ATTR_COSTSPAN_TENANT] !== tenant ? tenant : undefined;
      const attrs: Record<string, AttrValue> = {};
      // One object shape for every outcome (spreads on this path cost microseconds).
      const out: CostAnnotation = {
        outcome: 'unpriced',
        usage,
        attributes: attrs,
        amountNanos: undefined,
        amount: undefined,
        currency: undefined,
        reason: undefined,
        feature,
        tenant,
        price: undefined,
      };

      if (context?.duplicateOf !== undefined) {
        attrs[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE;
        attrs[ATTR_COSTSPAN_PRICING_DUPLICATE_OF] = context.duplicateOf;
        writeAttribution(attrs, newFeature, newTenant);
        out.outcome = 'duplicate';
        return out;
      }

      // Another tool's cost is kept as the span's cost, with its source named; costspan writes no total of its own.
      // A 0 beside token counts is not a price (OpenLIT writes 0 for a model it does not know): priced here instead.
      const foreign = usage.existingCost?.attribute;
      if (foreign !== undefined && usage.existingCost !== undefined) {
        if (usage.existingCost.amount === 0 && usage.hasTokens) usage.existingCost = undefined;
        else {
          const { amount } = usage.existingCost;
          attrs[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL;
          attrs[ATTR_COSTSPAN_PRICING_SOURCE] = `${usage.existingCost.producer ?? 'external'}:${foreign}`;
          writeAttribution(attrs, newFeature, newTenant);
          out.outcome = 'external';
          return withAmount(out, amountToNanos(amount), amount, usage.existingCost.currency ?? 'USD');
        }
      }

      // A cost already on the span: provider-reported wins over a local price, and is never overwritten.
      if (usage.existingCost !== undefined) {
        const { amount } = usage.existingCost;
        const currency = usage.existingCost.currency ?? 'USD';
        if (usage.existingCost.source === GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL) {
          out.outcome = 'existing';
          out.attributes = {};
          return withAmount(out, amountToNanos(amount), amount, currency);
        }
        if (usage.existingCost.currency === undefined) attrs[ATTR_GEN_AI_USAGE_COST_CURRENCY] = currency;
        if (usage.existingCost.source === undefined) {
          attrs[ATTR_GEN_AI_USAGE_COST_SOURCE] = GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER;
        }
        attrs[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_PRICED;
        writeAttribution(attrs, newFeature, newTenant);
        writeCompatTotal(attrs, amount);
        out.outcome = 'provider';
        return withAmount(out, amountToNanos(amount), amount, currency);
      }

      // A model call that ended without token counts (a stream whose usage chunk was dropped): a visible gap.
      if (!usage.hasTokens) return unpriced(out, newFeature, newTenant, REASON_NO_USAGE);
      if (usage.model === undefined) {
        return unpriced(
          out,
          newFeature,
          newTenant,
          'no model on the span (gen_ai.request.model / gen_ai.response.model)',
        );
      }
      const invalid = findInvalidCount(spanAttrs);
      if (invalid !== undefined) {
        return unpriced(out, newFeature, newTenant, `invalid usage: ${invalid} is not a whole number of tokens >= 0`);
      }
      const result = priceBook.price({
        provider: usage.provider,
        model: usage.model,
        // InferenceUsage carries the price book's usage fields under the same names (inputTokens, …).
        usage,
        timestamp: record.startTimeMs,
        serviceTier: usage.serviceTier,
      });
      if (result.status === 'unpriced') return unpriced(out, newFeature, newTenant, result.reason);

      const n = result.nanos;
      const amount = nanosToUsd(n.amount);
      attrs[ATTR_GEN_AI_USAGE_COST_AMOUNT] = amount;
      attrs[ATTR_GEN_AI_USAGE_COST_CURRENCY] = result.currency;
      attrs[ATTR_GEN_AI_USAGE_COST_SOURCE] = GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL;
      attrs[ATTR_COSTSPAN_PRICING_STATUS] =
        result.status === 'partial' ? COSTSPAN_PRICING_STATUS_VALUE_PARTIAL : COSTSPAN_PRICING_STATUS_VALUE_PRICED;
      if (result.reason !== undefined) attrs[ATTR_COSTSPAN_PRICING_REASON] = result.reason;
      writeAttribution(attrs, newFeature, newTenant);
      if (full) writeDetail(attrs, usage, result);
      writeCompatTotal(attrs, amount);
      if (compatOpenInference) {
        attrs[ATTR_LLM_COST_PROMPT] = nanosToUsd(n.input + n.cacheRead + n.cacheWrite);
        attrs[ATTR_LLM_COST_COMPLETION] = nanosToUsd(n.output);
      }
      return priced(out, result, n.amount, amount);
    },
  };
}

/** The `full` set beyond the essential one: the cost components that apply, then the price's provenance. */
function writeDetail(attrs: Record<string, AttrValue>, usage: InferenceUsage, result: PricedResult): void {
  const n = result.nanos;
  // Components that do not apply are omitted rather than written as 0.
  if (usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens > 0 || n.input > 0) {
    attrs[ATTR_COSTSPAN_COST_INPUT] = nanosToUsd(n.input);
  }
  if (usage.outputTokens > 0 || n.output > 0) attrs[ATTR_COSTSPAN_COST_OUTPUT] = nanosToUsd(n.output);
  if (usage.cacheReadTokens > 0 || n.cacheRead > 0) attrs[ATTR_COSTSPAN_COST_CACHE_READ] = nanosToUsd(n.cacheRead);
  if (usage.cacheWriteTokens > 0 || n.cacheWrite > 0) {
    attrs[ATTR_COSTSPAN_COST_CACHE_WRITE] = nanosToUsd(n.cacheWrite);
  }
  if (n.request > 0) attrs[ATTR_COSTSPAN_COST_REQUEST] = nanosToUsd(n.request);
  attrs[ATTR_COSTSPAN_PRICING_PROVIDER] = result.provider;
  attrs[ATTR_COSTSPAN_PRICING_MODEL] = result.model;
  attrs[ATTR_COSTSPAN_PRICING_SOURCE] = result.source;
  if (result.tier !== undefined) attrs[ATTR_COSTSPAN_PRICING_TIER] = result.tier;
  attrs[ATTR_COSTSPAN_PRICING_SERVICE_TIER] = result.serviceTier;
}

function writeAttribution(attrs: Record<string, AttrValue>, feature?: string, tenant?: string): void {
  if (feature !== undefined) attrs[ATTR_COSTSPAN_FEATURE] = feature;
  if (tenant !== undefined) attrs[ATTR_COSTSPAN_TENANT] = tenant;
}

function priced(out: CostAnnotation, result: PricedResult, nanos: number, amount: number): CostAnnotation {
  out.outcome = result.status;
  out.reason = result.reason;
  out.price = result;
  return withAmount(out, nanos, amount, result.currency);
}

function withAmount(out: CostAnnotation, nanos: number | undefined, amount: number, currency: string): CostAnnotation {
  out.amountNanos = nanos;
  out.amount = amount;
  out.currency = currency;
  return out;
}

function unpriced(
  out: CostAnnotation,
  feature: string | undefined,
  tenant: string | undefined,
  reason: string,
): CostAnnotation {
  out.attributes[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_UNPRICED;
  out.attributes[ATTR_COSTSPAN_PRICING_REASON] = reason;
  writeAttribution(out.attributes, feature, tenant);
  out.outcome = 'unpriced';
  out.reason = reason;
  return out;
}
