import { describe, expect, it } from 'vitest';
import * as semconv from './index.js';

describe('@costspan/semconv', () => {
  it('declares every name the foundation requires, with the exact wire value', () => {
    const expected: Record<string, string> = {
      ATTR_GEN_AI_USAGE_COST_AMOUNT: 'gen_ai.usage.cost.amount',
      ATTR_GEN_AI_USAGE_COST_CURRENCY: 'gen_ai.usage.cost.currency',
      ATTR_GEN_AI_USAGE_COST_SOURCE: 'gen_ai.usage.cost.source',
      ATTR_COSTSPAN_COST_INPUT: 'costspan.cost.input',
      ATTR_COSTSPAN_COST_OUTPUT: 'costspan.cost.output',
      ATTR_COSTSPAN_COST_CACHE_READ: 'costspan.cost.cache_read',
      ATTR_COSTSPAN_COST_CACHE_WRITE: 'costspan.cost.cache_write',
      ATTR_COSTSPAN_COST_REQUEST: 'costspan.cost.request',
      ATTR_COSTSPAN_COST_GPU: 'costspan.cost.gpu',
      ATTR_COSTSPAN_COST_IDLE: 'costspan.cost.idle',
      ATTR_COSTSPAN_COST_OVERHEAD: 'costspan.cost.overhead',
      ATTR_COSTSPAN_COST_SUBTREE: 'costspan.cost.subtree',
      ATTR_COSTSPAN_PRICING_STATUS: 'costspan.pricing.status',
      ATTR_COSTSPAN_PRICING_PROVIDER: 'costspan.pricing.provider',
      ATTR_COSTSPAN_PRICING_MODEL: 'costspan.pricing.model',
      ATTR_COSTSPAN_PRICING_SOURCE: 'costspan.pricing.source',
      ATTR_COSTSPAN_PRICING_TIER: 'costspan.pricing.tier',
      ATTR_COSTSPAN_PRICING_SERVICE_TIER: 'costspan.pricing.service_tier',
      ATTR_COSTSPAN_USAGE_ESTIMATED: 'costspan.usage.estimated',
      ATTR_COSTSPAN_FEATURE: 'costspan.feature',
      ATTR_COSTSPAN_TENANT: 'costspan.tenant',
      ATTR_COSTSPAN_GPU_NODE: 'costspan.gpu.node',
      ATTR_COSTSPAN_GPU_SECONDS: 'costspan.gpu.seconds',
      ATTR_COSTSPAN_GPU_CONCURRENCY: 'costspan.gpu.concurrency',
      ATTR_COSTSPAN_GPU_UTILIZATION: 'costspan.gpu.utilization',
      ATTR_COSTSPAN_ALLOCATION_METHOD: 'costspan.allocation.method',
      ATTR_COSTSPAN_ALLOCATION_FINAL: 'costspan.allocation.final',
      METRIC_GEN_AI_CLIENT_OPERATION_COST: 'gen_ai.client.operation.cost',
      METRIC_COSTSPAN_GPU_NODE_COST: 'costspan.gpu.node.cost',
      METRIC_COSTSPAN_GPU_NODE_UTILIZATION: 'costspan.gpu.node.utilization',
      METRIC_COSTSPAN_PRICING_UNPRICED: 'costspan.pricing.unpriced',
      GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL: 'local',
      GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER: 'provider',
      COSTSPAN_PRICING_STATUS_VALUE_PRICED: 'priced',
      COSTSPAN_PRICING_STATUS_VALUE_PARTIAL: 'partial',
      COSTSPAN_PRICING_STATUS_VALUE_UNPRICED: 'unpriced',
      COSTSPAN_GPU_STATE_VALUE_BUSY: 'busy',
      COSTSPAN_GPU_STATE_VALUE_IDLE: 'idle',
      COSTSPAN_ALLOCATION_METHOD_VALUE_TIME: 'time',
      COSTSPAN_ALLOCATION_METHOD_VALUE_TOKENS: 'tokens',
      COSTSPAN_ALLOCATION_METHOD_VALUE_REQUESTS: 'requests',
    };
    const actual = semconv as unknown as Record<string, string>;
    for (const [name, value] of Object.entries(expected)) expect(actual[name], name).toBe(value);
  });
});
