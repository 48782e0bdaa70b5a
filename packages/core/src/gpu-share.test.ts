import { describe, expect, it } from 'vitest';
import { createCostCore } from './cost-core.js';
import { type GpuShare, mergeGpuShare } from './gpu-share.js';
import type { AttrValue } from './record.js';

const core = createCostCore();

const share = (over: Partial<GpuShare> = {}): GpuShare => ({
  node: 'gpu-a',
  currency: 'USD',
  method: 'time',
  idlePolicy: 'separate',
  direct: 7_500,
  idleShare: 0,
  overhead: 0,
  hasOverhead: false,
  seconds: 7.5,
  concurrency: 1.5,
  utilization: undefined,
  final: true,
  ...over,
});

const selfHosted = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'acme/house-model-7b',
  'gen_ai.usage.input_tokens': 800,
  'gen_ai.usage.output_tokens': 200,
};

describe('mergeGpuShare (the rule both doors use)', () => {
  it('prices a self-hosted model unknown to the price book at its GPU time, and says why', () => {
    const annotation = core.annotate({ name: 'chat', attributes: selfHosted });
    expect(annotation?.outcome).toBe('unpriced');
    const attrs = annotation!.attributes;
    const total = mergeGpuShare(attrs, share(), annotation);
    expect(total).toBe(7_500_000);
    expect(attrs).toMatchObject({
      'gen_ai.usage.cost.amount': 0.0075,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costspan.pricing.status': 'priced',
      'costspan.pricing.source': 'gpu-node:gpu-a',
      'costspan.cost.gpu': 0.0075,
      'costspan.gpu.node': 'gpu-a',
      'costspan.gpu.seconds': 7.5,
      'costspan.gpu.concurrency': 1.5,
      'costspan.allocation.method': 'time',
      'costspan.allocation.idle': 'separate',
      'costspan.allocation.final': true,
    });
    expect(attrs['costspan.pricing.reason']).toMatch(
      /tokens priced at \$0: the model is served by self-hosted GPU node 'gpu-a'/,
    );
    expect(attrs['costspan.cost.idle']).toBeUndefined();
    expect(attrs['costspan.cost.overhead']).toBeUndefined();
    // The annotation follows, so metrics record the merged cost instead of an unpriced count.
    expect(annotation).toMatchObject({ outcome: 'priced', amountNanos: 7_500_000, amount: 0.0075, currency: 'USD' });
  });

  it('adds the GPU share to tokens the price book did price', () => {
    const annotation = core.annotate({
      name: 'chat',
      attributes: { ...selfHosted, 'gen_ai.request.model': 'gpt-4o-mini' },
    });
    expect(annotation?.outcome).toBe('priced');
    const tokenNanos = annotation!.amountNanos!;
    const attrs = annotation!.attributes;
    const total = mergeGpuShare(attrs, share({ idleShare: 2_500, overhead: 1_000, hasOverhead: true }), annotation);
    expect(total).toBe(tokenNanos + 11_000_000);
    expect(attrs['gen_ai.usage.cost.amount']).toBe((tokenNanos + 11_000_000) / 1e9);
    expect(attrs['costspan.cost.idle']).toBe(0.0025);
    expect(attrs['costspan.cost.overhead']).toBe(0.001);
    expect(attrs['costspan.pricing.source']).not.toBe('gpu-node:gpu-a');
    expect(annotation?.amountNanos).toBe(total);
  });

  it('writes idle and overhead components whenever the policy applies, 0 included', () => {
    const attrs: Record<string, AttrValue> = {};
    mergeGpuShare(attrs, share({ idlePolicy: 'shared', hasOverhead: true, final: false, utilization: 0.2 }));
    expect(attrs['costspan.cost.idle']).toBe(0);
    expect(attrs['costspan.cost.overhead']).toBe(0);
    expect(attrs['costspan.gpu.utilization']).toBe(0.2);
    expect(attrs['costspan.allocation.final']).toBe(false);
    expect(attrs['costspan.pricing.status']).toBe('priced');
  });

  it('never adds a GPU share in another currency to the token cost', () => {
    const annotation = core.annotate({
      name: 'chat',
      attributes: { ...selfHosted, 'gen_ai.request.model': 'gpt-4o-mini' },
    });
    const tokenNanos = annotation!.amountNanos!;
    const attrs = annotation!.attributes;
    expect(mergeGpuShare(attrs, share({ currency: 'EUR' }), annotation)).toBe(tokenNanos);
    expect(attrs['gen_ai.usage.cost.currency']).toBe('USD');
    expect(attrs['costspan.cost.gpu']).toBe(0.0075);
  });
});
