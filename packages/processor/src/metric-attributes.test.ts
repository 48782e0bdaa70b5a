import { type CostAnnotation, createCostCore, TenantCap } from '@costspan/core';
import * as shapes from '@costspan/testing/span-shapes';
import { describe, expect, it } from 'vitest';
import { CostMetricAttributeCache, costMetricAttributes } from './metric-attributes.js';

const core = createCostCore();
const annotate = (extra: Record<string, unknown>): CostAnnotation => {
  const a = core.annotate({ name: 'chat', attributes: { ...shapes.openaiChat, ...extra } });
  if (a === undefined) throw new Error('not annotated');
  return a;
};

describe('CostMetricAttributeCache', () => {
  it('gives the same data-point attributes as costMetricAttributes, one object per distinct point', () => {
    const cache = new CostMetricAttributeCache();
    const cachedTenants = new TenantCap(1);
    const plainTenants = new TenantCap(1);
    const acme = annotate({ 'costspan.feature': 'chat', 'costspan.tenant': 'acme' });
    const first = cache.get(acme, cachedTenants);
    expect(first).toEqual(costMetricAttributes(acme, plainTenants));
    expect(first).toEqual({
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.operation.name': 'chat',
      'costspan.feature': 'chat',
      'costspan.tenant': 'acme',
    });
    expect(cache.get(annotate({ 'costspan.feature': 'chat', 'costspan.tenant': 'acme' }), cachedTenants)).toBe(first);
    // The tenant cap still applies: a second tenant beyond the cap of 1 is `other`, on its own data point.
    const globex = annotate({ 'costspan.feature': 'chat', 'costspan.tenant': 'globex' });
    expect(cache.get(globex, cachedTenants)).toEqual(costMetricAttributes(globex, plainTenants));
    expect(cache.get(globex, cachedTenants)['costspan.tenant']).toBe('other');
    // A provider-reported cost is its own data point (source provider).
    const reported = annotate({ 'gen_ai.usage.cost.amount': 0.01 });
    expect(cache.get(reported, cachedTenants)['gen_ai.usage.cost.source']).toBe('provider');
  });

  it('stays bounded: past max it starts over and still answers correctly', () => {
    const cache = new CostMetricAttributeCache(2);
    const tenants = new TenantCap(100);
    for (let i = 0; i < 10; i++) {
      const a = annotate({ 'costspan.feature': `f${i}` });
      expect(cache.get(a, tenants)['costspan.feature']).toBe(`f${i}`);
    }
    const again = annotate({ 'costspan.feature': 'f9' });
    expect(cache.get(again, tenants)).toBe(cache.get(again, tenants));
  });
});
