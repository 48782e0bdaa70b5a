import { usdToNanos as amountToNanos, nanosToUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_COST_AMOUNT,
  ATTR_COSTSPAN_COST_COMPONENT,
  ATTR_COSTSPAN_COST_CURRENCY,
  ATTR_COSTSPAN_COST_IDLE,
  ATTR_COSTSPAN_COST_OVERHEAD,
  ATTR_COSTSPAN_COST_RULE,
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_PRICING_REASON,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_COSTSPAN_TENANT,
  COSTSPAN_PRICING_STATUS_VALUE_UNPRICED,
} from '@costspan/semconv';
import { type AttributionKeys, attributionValue, DEFAULT_FEATURE_KEYS, DEFAULT_TENANT_KEYS } from './attribution.js';
import type { CostAnnotation } from './cost-core.js';
import { type ComponentCost, type CostRuleConfig, CostRuleSet } from './cost-rules.js';
import { isDefiniteModelCall } from './is-model-call.js';
import type { AttrMap, AttrValue, SpanRecord } from './record.js';
import { AnchorIndex } from './rule-match.js';
import { type ResourceShare, type SharedResourceConfig, SharedResources } from './shared-resources.js';

/** The prefix of `costspan.pricing.source` on spans priced by the rule set: `cost-rules@<version>`. */
export const COST_RULES_SOURCE_PREFIX = 'cost-rules@';

export interface ComponentPricerOptions {
  costs?: readonly CostRuleConfig[];
  resources?: readonly SharedResourceConfig[];
  attribution?: AttributionKeys;
  /** Billing start (ms) of resources without their own `startTime`. */
  startTimeMs?: number;
}

/** One non-model span priced: its cost, the attributes to write, and a resource share's allocation. */
export interface ComponentResult {
  cost: ComponentCost;
  attributes: Record<string, AttrValue>;
  feature: string | undefined;
  tenant: string | undefined;
  /** Present for a shared-resource share. */
  share: ResourceShare | undefined;
}

/**
 * The rule set's version: 16 hex digits of a 64-bit FNV-1a hash of its canonical JSON (keys sorted), so the
 * same rules give the same version in every door and process, and any change gives another.
 */
export function ruleSetVersion(costs: readonly unknown[], resources: readonly unknown[]): string {
  const text = canonical({ costs, resources });
  let hash = 0xcbf29ce484222325n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Prices the spans around the model: `costs:` rules (first match wins), then `resources:` shares. Never a span
 * the cost core priced as a model call (`appliesTo`). Both doors use it; the doors carry the cost up the trace.
 */
export class ComponentPricer {
  readonly rules: CostRuleSet;
  readonly resources: SharedResources;
  readonly version: string;
  readonly source: string;
  readonly #index: AnchorIndex;
  readonly #featureKeys: readonly string[];
  readonly #tenantKeys: readonly string[];

  constructor(options: ComponentPricerOptions) {
    const costs = options.costs ?? [];
    const resources = options.resources ?? [];
    this.rules = new CostRuleSet(costs);
    this.resources = new SharedResources(resources, { startTimeMs: options.startTimeMs });
    this.version = ruleSetVersion(costs, resources);
    this.source = COST_RULES_SOURCE_PREFIX + this.version;
    this.#index = new AnchorIndex([...this.rules.matches, ...this.resources.matches]);
    this.rules.bindAnchors(this.#index);
    this.resources.bindAnchors(this.#index);
    this.#featureKeys = options.attribution?.featureKeys ?? DEFAULT_FEATURE_KEYS;
    this.#tenantKeys = options.attribution?.tenantKeys ?? DEFAULT_TENANT_KEYS;
  }

  /** True when there is nothing to price (no rules, no resources). */
  get empty(): boolean {
    return this.#index.size === 0;
  }

  /** The pre-filter: could any rule or resource match? One property read per distinct anchor attribute. */
  mayMatch(attrs: AttrMap): boolean {
    return this.#index.mayMatch(attrs);
  }

  /** The anchors a rule could match on (`AnchorIndex.mask`); none for a span a costspan upstream already priced. */
  #mask(attrs: AttrMap): number {
    return attrs[ATTR_COSTSPAN_COST_RULE] !== undefined ? 0 : this.#index.mask(attrs);
  }

  /**
   * Does a rule (any dated version) or a resource match these attributes? Run after `mayMatch` and before the
   * span is read whole: a span that carries a key some rule tests but matches none stops here, cheaply.
   */
  matches(attrs: AttrMap): boolean {
    const mask = this.#mask(attrs);
    if (mask === 0) return false;
    return this.rules.mayPrice(attrs, mask) || (this.resources.size > 0 && this.resources.match(attrs, mask) >= 0);
  }

  /**
   * May a rule price a span the cost core annotated so? Yes when the core did not treat it as a model call, or
   * found a call with no usage at all that is not certainly an inference (a rerank call has search units, not
   * tokens: a rule may price it, and the span is then a component span, not an unpriced model call). Never a
   * priced, provider, external, existing or duplicate one, nor a chat / completion / embeddings call that lost
   * its usage (it stays an unpriced model call: a visible gap).
   */
  static appliesTo(annotation: CostAnnotation | undefined, name: string, attrs: AttrMap): boolean {
    if (annotation === undefined) return true;
    return annotation.outcome === 'unpriced' && !annotation.usage.hasTokens && !isDefiniteModelCall(name, attrs);
  }

  /**
   * Prices one span (call `mayMatch` and `appliesTo` first). `requestId` identifies the span to a resource's
   * allocator (default: trace id + span id). Undefined when no rule or resource matches, or the span was already priced
   * by a costspan upstream (it carries `costspan.cost.rule`; see `existingComponent`).
   */
  price(record: SpanRecord, requestId?: string): ComponentResult | undefined {
    const attrs = record.attributes;
    const mask = this.#mask(attrs);
    if (mask === 0) return undefined;
    let cost = this.rules.price(record, mask);
    let share: ResourceShare | undefined;
    if (cost === undefined && this.resources.size > 0) {
      const index = this.resources.match(attrs, mask);
      if (index >= 0) {
        share = this.resources.end(
          index,
          requestId ?? `${record.traceId ?? ''}${record.spanId ?? ''}`,
          record.startTimeMs ?? Number.NaN,
          record.endTimeMs ?? Number.NaN,
          attrs,
        );
        cost = share?.cost;
      }
    }
    if (cost === undefined) return undefined;
    const feature = attributionValue(record, this.#featureKeys);
    const tenant = attributionValue(record, this.#tenantKeys);
    const out: Record<string, AttrValue> = {};
    writeComponentAttributes(out, cost, this.source);
    if (feature !== undefined && attrs[ATTR_COSTSPAN_FEATURE] !== feature) out[ATTR_COSTSPAN_FEATURE] = feature;
    if (tenant !== undefined && attrs[ATTR_COSTSPAN_TENANT] !== tenant) out[ATTR_COSTSPAN_TENANT] = tenant;
    return { cost, attributes: out, feature, tenant, share };
  }
}

/** The attributes of a priced (or unpriceable) non-model span, most important first. */
export function writeComponentAttributes(out: Record<string, AttrValue>, cost: ComponentCost, source: string): void {
  if (cost.nanos !== undefined) {
    out[ATTR_COSTSPAN_COST_AMOUNT] = nanosToUsd(cost.nanos);
    out[ATTR_COSTSPAN_COST_CURRENCY] = cost.currency;
  } else {
    out[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_UNPRICED;
    out[ATTR_COSTSPAN_PRICING_REASON] = cost.reason ?? 'unpriced';
  }
  out[ATTR_COSTSPAN_COST_COMPONENT] = cost.component;
  out[ATTR_COSTSPAN_COST_RULE] = cost.rule;
  out[ATTR_COSTSPAN_PRICING_SOURCE] = source;
  if (cost.kind === 'resource' && cost.nanos !== undefined) {
    if (cost.idleNanos !== undefined && cost.idleNanos > 0) out[ATTR_COSTSPAN_COST_IDLE] = nanosToUsd(cost.idleNanos);
    if (cost.overheadNanos !== undefined && cost.overheadNanos > 0) {
      out[ATTR_COSTSPAN_COST_OVERHEAD] = nanosToUsd(cost.overheadNanos);
    }
    out[ATTR_COSTSPAN_ALLOCATION_FINAL] = cost.final === true;
  }
}

/** The cost a span priced upstream by a rule carries (`costspan.cost.amount`), in nano-units; 0 when none. */
export function existingComponentNanos(attrs: AttrMap): number {
  if (attrs[ATTR_COSTSPAN_COST_RULE] === undefined) return 0;
  const amount = attrs[ATTR_COSTSPAN_COST_AMOUNT];
  return typeof amount === 'number' ? (amountToNanos(amount) ?? 0) : 0;
}
