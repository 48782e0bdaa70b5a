import { ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT } from '@costspan/semconv';
import { readString } from './read-attributes.js';
import type { SpanRecord } from './record.js';

/** Which names carry feature and tenant: W3C baggage entries and span/resource attributes, first match wins. */
export interface AttributionKeys {
  /** Default: `costspan.feature` (ATTR_COSTSPAN_FEATURE). */
  featureKeys?: readonly string[];
  /** Default: `costspan.tenant` (ATTR_COSTSPAN_TENANT). */
  tenantKeys?: readonly string[];
}

export interface ResolvedAttribution {
  feature?: string;
  tenant?: string;
  /** True when the value is not already on the span under the costspan name (so it should be written). */
  writeFeature: boolean;
  writeTenant: boolean;
}

export const DEFAULT_FEATURE_KEYS: readonly string[] = [ATTR_COSTSPAN_FEATURE];
export const DEFAULT_TENANT_KEYS: readonly string[] = [ATTR_COSTSPAN_TENANT];

/**
 * Feature and tenant of a span: span attributes first (the most specific; the SDK door has already copied
 * baggage entries onto the span at start), then resource attributes.
 */
export function resolveAttribution(record: SpanRecord, keys: AttributionKeys = {}): ResolvedAttribution {
  const feature = attributionValue(record, keys.featureKeys ?? DEFAULT_FEATURE_KEYS);
  const tenant = attributionValue(record, keys.tenantKeys ?? DEFAULT_TENANT_KEYS);
  return {
    feature,
    tenant,
    writeFeature: feature !== undefined && record.attributes[ATTR_COSTSPAN_FEATURE] !== feature,
    writeTenant: tenant !== undefined && record.attributes[ATTR_COSTSPAN_TENANT] !== tenant,
  };
}

/** The first of `keys` found on the span, else on the resource (what `resolveAttribution` reads, without allocating). */
export function attributionValue(record: SpanRecord, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = readString(record.attributes, k);
    if (v !== undefined) return v;
  }
  if (record.resourceAttributes !== undefined) {
    for (const k of keys) {
      const v = readString(record.resourceAttributes, k);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
