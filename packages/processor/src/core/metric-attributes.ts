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
import type { CostAnnotation } from './cost-core.js';
import type { TenantCap } from './tenant-cap.js';

/**
 * Attributes of one `gen_ai.client.operation.cost` data point (provider, model, operation, feature, tenant —
 * capped — currency, source). The model is the requested one (fewer distinct values than dated snapshots).
 */
export function costMetricAttributes(annotation: CostAnnotation, tenants: TenantCap): Record<string, string> {
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
  if (annotation.tenant !== undefined) out[ATTR_COSTSPAN_TENANT] = tenants.map(annotation.tenant);
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
