/** The `attribution` section: where feature and tenant are read, and how many tenants metrics keep apart. */
import type { AttributionKeys } from '@costspan/core';
import type { ConfigProblem } from './problem.js';
import { isRecord } from './section.js';

/** The `attribution` section, validated. */
export interface AttributionConfig {
  /** Baggage entries or span/resource attributes naming the feature, first match wins. */
  featureKeys?: string[];
  /** Baggage entries or span/resource attributes naming the tenant, first match wins. */
  tenantKeys?: string[];
  /** Distinct tenants kept apart (in-process metrics, the collector's budget ledger). */
  maxTenants?: number;
}

const ATTRIBUTION_KEYS = ['featureKeys', 'tenantKeys', 'maxTenants'];

/**
 * `attribution: { featureKeys?, tenantKeys?, maxTenants? }`: key lists non-empty lists of non-blank names,
 * `maxTenants` a positive whole number. Null or absent: undefined (the defaults).
 */
export function parseAttribution(
  value: unknown,
  path: string,
  problems: ConfigProblem[],
): AttributionConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push({ path, message: 'expected a mapping with featureKeys, tenantKeys and/or maxTenants' });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) {
    if (!ATTRIBUTION_KEYS.includes(key)) {
      problems.push({ path: `${path}.${key}`, message: `unknown key (${ATTRIBUTION_KEYS.join(', ')})` });
    }
  }
  const out: AttributionConfig = {};
  for (const name of ['featureKeys', 'tenantKeys'] as const) {
    const list = value[name];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0 || list.some((k) => typeof k !== 'string' || k.trim() === '')) {
      problems.push({
        path: `${path}.${name}`,
        message: 'expected a non-empty list of baggage entry / attribute names',
      });
    } else out[name] = list as string[];
  }
  const maxTenants = value.maxTenants;
  if (maxTenants !== undefined) {
    if (typeof maxTenants === 'number' && Number.isSafeInteger(maxTenants) && maxTenants > 0) {
      out.maxTenants = maxTenants;
    } else problems.push({ path: `${path}.maxTenants`, message: 'expected a positive whole number' });
  }
  return problems.length === before ? out : undefined;
}

/** The keys the cost core reads (`featureKeys`, `tenantKeys`); undefined when neither is given. */
export function attributionKeys(config: AttributionConfig | undefined): AttributionKeys | undefined {
  if (config?.featureKeys === undefined && config?.tenantKeys === undefined) return undefined;
  return {
    ...(config.featureKeys === undefined ? {} : { featureKeys: config.featureKeys }),
    ...(config.tenantKeys === undefined ? {} : { tenantKeys: config.tenantKeys }),
  };
}
