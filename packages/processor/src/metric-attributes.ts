import type { CostAnnotation, TenantCap } from '@costspan/core';
import {
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_TENANT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
  GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER,
} from '@costspan/semconv';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
} from '@opentelemetry/semantic-conventions/incubating';

/**
 * Attributes of one `gen_ai.client.operation.cost` data point (provider, model, operation, feature, tenant —
 * capped — currency, source). The model is the requested one (fewer distinct values than dated snapshots).
 */
export function costMetricAttributes(annotation: CostAnnotation, tenants: TenantCap): Record<string, string> {
  return costMetricAttributesWithTenant(
    annotation,
    annotation.tenant === undefined ? undefined : tenants.map(annotation.tenant),
  );
}

function costMetricAttributesWithTenant(
  annotation: CostAnnotation,
  tenant: string | undefined,
): Record<string, string> {
  const u = annotation.usage;
  const out: Record<string, string> = {
    [ATTR_GEN_AI_USAGE_COST_CURRENCY]: annotation.currency ?? 'USD',
    [ATTR_GEN_AI_USAGE_COST_SOURCE]:
      annotation.outcome === 'provider'
        ? GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER
        : GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
  };
  if (u.provider !== undefined) out[ATTR_GEN_AI_PROVIDER_NAME] = u.provider;
  const model = u.requestModel ?? u.model;
  if (model !== undefined) out[ATTR_GEN_AI_REQUEST_MODEL] = model;
  if (u.operation !== undefined) out[ATTR_GEN_AI_OPERATION_NAME] = u.operation;
  if (annotation.feature !== undefined) out[ATTR_COSTSPAN_FEATURE] = annotation.feature;
  if (tenant !== undefined) out[ATTR_COSTSPAN_TENANT] = tenant;
  return out;
}

/** Attributes of one `costspan.pricing.unpriced` data point (provider, model). */
export function unpricedMetricAttributes(annotation: CostAnnotation): Record<string, string> {
  const u = annotation.usage;
  const out: Record<string, string> = {};
  if (u.provider !== undefined) out[ATTR_GEN_AI_PROVIDER_NAME] = u.provider;
  const model = u.requestModel ?? u.model;
  if (model !== undefined) out[ATTR_GEN_AI_REQUEST_MODEL] = model;
  return out;
}

type Level = Map<string | undefined, unknown>;

/**
 * `costMetricAttributes` without a new object per data point: one attributes object per distinct (provider, model,
 * operation, feature, tenant — capped —, currency, source), reused while at most `max` are cached (then all are
 * dropped and rebuilt as they come). The objects are shared: never mutate them.
 */
export class CostMetricAttributeCache {
  readonly #max: number;
  #root: Level = new Map();
  #size = 0;

  constructor(max = 1_000) {
    this.#max = Math.max(1, max);
  }

  get(annotation: CostAnnotation, tenants: TenantCap): Record<string, string> {
    const u = annotation.usage;
    const tenant = annotation.tenant === undefined ? undefined : tenants.map(annotation.tenant);
    let level = child(this.#root, u.provider);
    level = child(level, u.requestModel ?? u.model);
    level = child(level, u.operation);
    level = child(level, annotation.feature);
    level = child(level, tenant);
    level = child(level, annotation.currency);
    const source = annotation.outcome === 'provider' ? 'p' : 'l';
    let out = level.get(source) as Record<string, string> | undefined;
    if (out === undefined) {
      if (this.#size >= this.#max) {
        this.#root = new Map();
        this.#size = 0;
        return this.get(annotation, tenants);
      }
      out = costMetricAttributesWithTenant(annotation, tenant);
      level.set(source, out);
      this.#size += 1;
    }
    return out;
  }
}

function child(level: Level, key: string | undefined): Level {
  let next = level.get(key) as Level | undefined;
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}
