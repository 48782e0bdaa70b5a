import { createPriceBook } from '@costspan/pricing';
import * as shapes from '@costspan/testing/span-shapes';
import { describe, expect, it } from 'vitest';
import { createCostCore } from './cost-core.js';
import type { AttrMap, SpanRecord } from './record.js';

const core = createCostCore();
const rec = (attributes: AttrMap, extra: Partial<SpanRecord> = {}): SpanRecord => ({
  name: 'chat',
  attributes,
  ...extra,
});

describe('createCostCore().annotate', () => {
  it('prices Anthropic cache reads and writes at their own rates, summing exactly', () => {
    const a = core.annotate(rec(shapes.anthropicOtel));
    expect(a?.outcome).toBe('priced');
    // claude-sonnet-4: $3/M input, $15/M output, $0.30/M cache read, $3.75/M cache write
    expect(a?.attributes).toMatchObject({
      'gen_ai.usage.cost.amount': 0.01215,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costspan.pricing.status': 'priced',
      'costspan.cost.input': 0.0003,
      'costspan.cost.output': 0.0075,
      'costspan.cost.cache_read': 0.0006,
      'costspan.cost.cache_write': 0.00375,
      'costspan.pricing.provider': 'anthropic',
    });
    expect(a?.amountNanos).toBe(12_150_000);
    // The same call recorded with raw Anthropic input costs the same.
    expect(core.annotate(rec(shapes.anthropicRawInOtelNames))?.amountNanos).toBe(12_150_000);
    expect(core.annotate(rec(shapes.aiSdk5AnthropicInner, { name: 'ai.streamText.doStream' }))?.amountNanos).toBe(
      12_150_000,
    );
    expect(core.annotate(rec(shapes.aiSdk6AnthropicInner, { name: 'ai.streamText.doStream' }))?.amountNanos).toBe(
      12_150_000,
    );
    expect(core.annotate(rec(shapes.openllmetryAnthropic))?.amountNanos).toBe(12_150_000);
  });

  it('writes the most important attributes first', () => {
    const keys = Object.keys(core.annotate(rec(shapes.openaiChat))?.attributes ?? {});
    expect(keys.slice(0, 4)).toEqual([
      'gen_ai.usage.cost.amount',
      'gen_ai.usage.cost.currency',
      'gen_ai.usage.cost.source',
      'costspan.pricing.status',
    ]);
  });

  it("writes the essential set only with attributes: 'essential': same amount, no components or provenance", () => {
    const essential = createCostCore({ attributes: 'essential' });
    expect(essential.attributes).toBe('essential');
    expect(core.attributes).toBe('full');
    const full = core.annotate(
      rec(shapes.anthropicOtel, { attributes: { ...shapes.anthropicOtel, 'costspan.tenant': 'acme' } }),
    );
    const a = essential.annotate(
      rec(
        { ...shapes.anthropicOtel, 'costspan.tenant': 'acme' },
        { resourceAttributes: { 'costspan.feature': 'chat' } },
      ),
    );
    expect(a?.attributes).toEqual({
      'gen_ai.usage.cost.amount': 0.01215,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costspan.pricing.status': 'priced',
      'costspan.feature': 'chat',
    });
    expect(a?.amountNanos).toBe(full?.amountNanos);
    expect(a?.price).toEqual(full?.price);
    expect(a?.tenant).toBe('acme');
    // Unpriced spans keep their reason; compatibility names asked for are still written.
    expect(
      essential.annotate(
        rec({ ...shapes.openaiChat, 'gen_ai.request.model': 'nope-1', 'gen_ai.response.model': 'nope-1' }),
      )?.attributes,
    ).toMatchObject({
      'costspan.pricing.status': 'unpriced',
      'costspan.pricing.reason': expect.stringContaining('nope-1'),
    });
    const compat = createCostCore({ attributes: 'essential', compat: ['openinference'] }).annotate(
      rec(shapes.anthropicOtel),
    );
    expect(compat?.attributes).toMatchObject({ 'llm.cost.total': 0.01215, 'llm.cost.completion': 0.0075 });
  });

  it('prices reasoning tokens as output, once', () => {
    const a = core.annotate(rec(shapes.openaiReasoning));
    const p = a?.price;
    expect(a?.outcome).toBe('priced');
    expect(p?.nanos.output).toBeGreaterThan(0);
    const noReasoning = core.annotate(rec({ ...shapes.openaiReasoning, 'gen_ai.usage.reasoning.output_tokens': 0 }));
    expect(noReasoning?.amountNanos).toBe(a?.amountNanos);
  });

  it('applies the served service tier', () => {
    const normal = core.annotate(rec({ ...shapes.openaiReasoning, 'openai.response.service_tier': 'default' }));
    const flex = core.annotate(rec({ ...shapes.openaiReasoning, 'openai.response.service_tier': 'flex' }));
    expect(flex?.attributes['costspan.pricing.service_tier']).toBe('flex');
    expect(flex?.amountNanos).toBeLessThan(normal?.amountNanos ?? 0);
  });

  it('marks an unknown model unpriced with a reason and NO amount', () => {
    const a = core.annotate(
      rec({ ...shapes.openaiChat, 'gen_ai.request.model': 'my-model', 'gen_ai.response.model': 'my-model' }),
    );
    expect(a?.outcome).toBe('unpriced');
    expect(a?.attributes['costspan.pricing.status']).toBe('unpriced');
    expect(a?.attributes['costspan.pricing.reason']).toContain('my-model');
    expect(a?.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(a?.amountNanos).toBeUndefined();
  });

  it('marks garbage token counts unpriced with a reason naming the attribute, never 0 tokens priced', () => {
    for (const bad of [-1, 2 ** 64 - 1, 1.5, 'abc', '-1', Number.NaN]) {
      const a = core.annotate(rec({ ...shapes.openaiChat, 'gen_ai.usage.input_tokens': bad }));
      expect(a?.outcome).toBe('unpriced');
      expect(a?.attributes['costspan.pricing.reason']).toBe(
        'invalid usage: gen_ai.usage.input_tokens is not a whole number of tokens >= 0',
      );
      expect(a?.amountNanos).toBeUndefined();
    }
    const cacheRead = core.annotate(
      rec({ ...shapes.openaiChat, 'gen_ai.usage.cache_read.input_tokens': '9'.repeat(20) }),
    );
    expect(cacheRead?.attributes['costspan.pricing.reason']).toMatch(/gen_ai\.usage\.cache_read\.input_tokens/);
    // Digit strings and valid numbers still price; the cost attributes themselves are not counts.
    expect(core.annotate(rec({ ...shapes.openaiChat, 'gen_ai.usage.input_tokens': '1000' }))?.outcome).toBe('priced');
  });

  it('keeps a provider-reported cost as the price and never overwrites it', () => {
    const a = core.annotate(rec(shapes.openrouterWithCost));
    expect(a?.outcome).toBe('provider');
    expect(a?.amount).toBe(0.01042);
    expect(a?.amountNanos).toBe(10_420_000);
    expect(a?.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(a?.attributes).toMatchObject({ 'gen_ai.usage.cost.currency': 'USD', 'costspan.pricing.status': 'priced' });
    const noSource = core.annotate(rec({ 'gen_ai.usage.cost.amount': 0.2 }));
    expect(noSource?.attributes['gen_ai.usage.cost.source']).toBe('provider');
  });

  it('leaves a span already annotated by costspan upstream alone', () => {
    const first = core.annotate(rec(shapes.openaiChat));
    const again = core.annotate(rec({ ...shapes.openaiChat, ...first?.attributes }));
    expect(again).toMatchObject({ outcome: 'existing', attributes: {}, amountNanos: first?.amountNanos });
    // The upstream attribution is read back, so downstream stores need no reader of their own.
    const attributed = core.annotate(
      rec({ ...shapes.openaiChat, ...first?.attributes, 'costspan.feature': 'assist', 'costspan.tenant': 'acme' }),
    );
    expect(attributed).toMatchObject({ outcome: 'existing', feature: 'assist', tenant: 'acme' });
  });

  it('never prices a span whose descendants were model calls (it repeats their usage)', () => {
    expect(core.annotate(rec(shapes.openinferenceLlm), { descendantCalls: 1 })).toBeUndefined();
    expect(core.annotate(rec(shapes.openinferenceLlm), { descendantCalls: 0 })?.outcome).toBe('priced');
  });

  it('writes compatibility names only when switched on', () => {
    expect(Object.keys(core.annotate(rec(shapes.openaiChat))?.attributes ?? {})).not.toContain('gen_ai.usage.cost');
    const compat = createCostCore({ compat: ['openlit-langfuse', 'openinference', 'logfire'] });
    const a = compat.annotate(rec(shapes.openaiChat));
    expect(a?.attributes).toMatchObject({
      'gen_ai.usage.cost': 0.00725,
      'llm.cost.total': 0.00725,
      'llm.cost.prompt': 0.00225,
      'llm.cost.completion': 0.005,
      'operation.cost': 0.00725,
    });
  });

  it('attributes feature and tenant from span attributes, then resource attributes, with custom keys', () => {
    const a = core.annotate(
      rec(
        { ...shapes.openaiChat, 'costspan.feature': 'summarize' },
        { resourceAttributes: { 'costspan.tenant': 'acme' } },
      ),
    );
    expect(a).toMatchObject({ feature: 'summarize', tenant: 'acme' });
    expect(a?.attributes['costspan.tenant']).toBe('acme');
    expect(a?.attributes['costspan.feature']).toBeUndefined(); // already on the span
    const custom = createCostCore({ attribution: { tenantKeys: ['enduser.id'] } });
    expect(custom.annotate(rec({ ...shapes.openaiChat, 'enduser.id': 'u-7' }))?.attributes['costspan.tenant']).toBe(
      'u-7',
    );
  });

  it('prices a self-hosted vLLM model only when the price book knows it', () => {
    expect(core.annotate(rec(shapes.vllmRequest, { name: 'llm_request' }))?.outcome).toBe('unpriced');
    const book = createPriceBook({
      overrides: {
        models: [{ match: 'meta-llama/Llama-3.1-8B-Instruct', provider: 'vllm', prices: { input: 0.1, output: 0.2 } }],
      },
    });
    const a = createCostCore({ priceBook: book }).annotate(rec(shapes.vllmRequest, { name: 'llm_request' }));
    expect(a?.outcome).toBe('priced');
    expect(a?.amountNanos).toBe(812 * 100 + 256 * 200);
  });
});
