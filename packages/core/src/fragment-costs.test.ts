import * as shapes from '@costspan/testing/span-shapes';
import { describe, expect, it } from 'vitest';
import { createCostCore } from './cost-core.js';
import { spanCostNanos } from './cost-nanos.js';
import { annotateFragment } from './fragment.js';
import { addFragmentCosts, mergeFragmentGpuShares } from './fragment-costs.js';
import type { GpuShare } from './gpu-share.js';
import type { SpanRecord } from './record.js';

const core = createCostCore();

const share = (over: Partial<GpuShare> = {}): GpuShare => ({
  node: 'gpu-a',
  currency: 'USD',
  method: 'time',
  idlePolicy: 'shared',
  direct: 7_531,
  idleShare: 1_117,
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

/** root ─┬─ agent ── house (self-hosted, unknown to the price book) ; root ─ gpt (priced) ; x (parent elsewhere) */
const records: SpanRecord[] = [
  { name: 'POST /answer', spanId: 'root', attributes: { 'http.request.method': 'POST' } },
  { name: 'agent', spanId: 'agent', parentSpanId: 'root', attributes: {} },
  { name: 'chat house', spanId: 'house', parentSpanId: 'agent', attributes: selfHosted },
  { name: 'chat gpt-4o', spanId: 'gpt', parentSpanId: 'root', attributes: shapes.openaiChat },
  { name: 'chat elsewhere', spanId: 'x', parentSpanId: 'elsewhere', attributes: shapes.openaiChat },
];

describe('mergeFragmentGpuShares', () => {
  it('merges each share with the one rule and carries it into every ancestor subtree, exact to the nano', () => {
    for (const order of [records, [...records].reverse()]) {
      const results = annotateFragment(core, order);
      const at = (id: string) => order.findIndex((r) => r.spanId === id);
      const byId = (id: string) => results[at(id)]!;
      const gpt = byId('gpt').annotation?.amountNanos as number;
      expect(gpt).toBeGreaterThan(0);
      expect(byId('house').annotation?.outcome).toBe('unpriced');
      expect(byId('agent').subtreeNanos).toBeUndefined();
      expect(byId('root').subtreeNanos).toBe(gpt);
      expect(byId('house').parentIndex).toBe(at('agent'));
      expect(byId('agent').parentIndex).toBe(at('root'));
      expect(byId('root').parentIndex).toBeUndefined();
      expect(byId('x').parentIndex).toBeUndefined();

      const houseShare = share();
      const gptShare = share({ direct: 333, idleShare: 1, overhead: 9, hasOverhead: true });
      const xShare = share({ direct: 5 });
      mergeFragmentGpuShares(
        results,
        new Map([
          [at('house'), houseShare],
          [at('gpt'), gptShare],
          [at('x'), xShare],
        ]),
      );
      const houseNanos = (7_531 + 1_117) * 1000;
      const gptGpuNanos = (333 + 1 + 9) * 1000;
      expect(byId('house').annotation?.outcome).toBe('priced');
      expect(byId('house').annotation?.amountNanos).toBe(houseNanos);
      expect(byId('house').gpu).toBe(houseShare);
      expect(byId('house').subtreeNanos).toBeUndefined();
      expect(byId('gpt').annotation?.amountNanos).toBe(gpt + gptGpuNanos);
      // The agent had nothing priced beneath it; now it carries the self-hosted call's GPU cost.
      expect(byId('agent').subtreeNanos).toBe(houseNanos);
      expect(byId('agent').attributes['costspan.cost.subtree']).toBe(houseNanos / 1e9);
      expect(byId('root').subtreeNanos).toBe(gpt + gptGpuNanos + houseNanos);
      expect(byId('root').attributes['costspan.cost.subtree']).toBe((gpt + gptGpuNanos + houseNanos) / 1e9);
      // A parent outside the fragment: the share stays on the span itself.
      expect(byId('x').subtreeNanos).toBeUndefined();
      expect(byId('x').attributes['costspan.cost.subtree']).toBeUndefined();
    }
  });

  it('keeps the cost currency and source of a span priced upstream', () => {
    const upstream: SpanRecord = {
      name: 'chat',
      spanId: 'up',
      attributes: {
        ...selfHosted,
        'costspan.pricing.status': 'priced',
        'gen_ai.usage.cost.amount': 0.25,
        'gen_ai.usage.cost.currency': 'EUR',
        'gen_ai.usage.cost.source': 'provider',
      },
    };
    const results = annotateFragment(core, [upstream]);
    expect(results[0]?.annotation?.outcome).toBe('existing');
    mergeFragmentGpuShares(results, new Map([[0, share({ currency: 'EUR' })]]));
    expect(results[0]?.attributes).toMatchObject({
      'gen_ai.usage.cost.currency': 'EUR',
      'gen_ai.usage.cost.source': 'provider',
      'gen_ai.usage.cost.amount': (250_000_000 + 8_648_000) / 1e9,
    });
  });
});

describe('addFragmentCosts', () => {
  it('adds cost known after annotation to the ancestors only, and to a span already holding a subtree', () => {
    const results = annotateFragment(core, records);
    const gpt = results[3]!.annotation?.amountNanos as number;
    addFragmentCosts(
      results,
      new Map([
        [2, { before: 0, added: 1 }],
        [0, { before: 0, added: 10 }],
      ]),
    );
    expect(results[1]?.subtreeNanos).toBe(1);
    expect(results[0]?.subtreeNanos).toBe(gpt + 1 + 10);
    expect(results[2]?.subtreeNanos).toBeUndefined();
  });
});

describe('spanCostNanos', () => {
  it('gives the figures the core wrote from, never the floats it wrote', () => {
    const results = annotateFragment(core, records);
    mergeFragmentGpuShares(results, new Map([[3, share({ direct: 1, idleShare: 2, overhead: 3, hasOverhead: true })]]));
    const result = results[3]!;
    const price = result.annotation?.price?.nanos;
    expect(spanCostNanos(result)).toEqual({
      amount: (price?.amount as number) + 6_000,
      input: price?.input,
      output: price?.output,
      cacheRead: price?.cacheRead,
      cacheWrite: undefined,
      request: undefined,
      gpu: 1_000,
      idle: 2_000,
      overhead: 3_000,
    });
  });

  it("reads a span priced upstream from its own attributes, and another tool's cost as the amount", () => {
    const [existing, external] = annotateFragment(core, [
      {
        name: 'chat',
        attributes: {
          ...shapes.openaiChat,
          'costspan.pricing.status': 'priced',
          'gen_ai.usage.cost.amount': 0.000123456,
          'costspan.cost.input': 0.0001,
          'costspan.cost.gpu': -1,
        },
      },
      { name: 'chat', attributes: { ...shapes.openaiChat, 'llm.cost.total': 0.5 } },
    ]);
    expect(existing?.annotation?.outcome).toBe('existing');
    expect(spanCostNanos(existing!)).toMatchObject({
      amount: 123_456,
      input: 100_000,
      output: undefined,
      gpu: undefined,
    });
    expect(external?.annotation?.outcome).toBe('external');
    expect(spanCostNanos(external!).amount).toBe(500_000_000);
  });
});
