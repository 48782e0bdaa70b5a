import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPriceBook } from './price-book.js';
import type { TokenUsage } from './types.js';

const book = createPriceBook();
const MODELS: Array<[string | undefined, string]> = [
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['gcp.gemini', 'gemini-2.5-pro'],
  ['gcp.gemini', 'gemini-2.5-flash'],
  [undefined, 'o3'],
  ['deepseek', 'deepseek-chat'],
  ['openai', 'gpt-4o-audio-preview'],
  ['perplexity', 'sonar'],
];

/** Random usage that respects the OTel subset rules. */
const validUsage: fc.Arbitrary<TokenUsage> = fc
  .record({
    input: fc.integer({ min: 0, max: 3_000_000 }),
    output: fc.integer({ min: 0, max: 500_000 }),
    readShare: fc.double({ min: 0, max: 1, noNaN: true }),
    writeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    hourShare: fc.double({ min: 0, max: 1, noNaN: true }),
    audioShare: fc.double({ min: 0, max: 1, noNaN: true }),
    reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    outAudioShare: fc.double({ min: 0, max: 1, noNaN: true }),
    requests: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  })
  .map((r) => {
    const cacheReadTokens = Math.floor(r.input * r.readShare);
    const cacheWriteTokens = Math.floor((r.input - cacheReadTokens) * r.writeShare);
    const reasoningTokens = Math.floor(r.output * r.reasoningShare);
    return {
      inputTokens: r.input,
      outputTokens: r.output,
      cacheReadTokens,
      cacheWriteTokens,
      cacheWrite1hTokens: Math.floor(cacheWriteTokens * r.hourShare),
      inputAudioTokens: Math.floor(r.input * r.audioShare),
      reasoningTokens,
      outputAudioTokens: Math.floor((r.output - reasoningTokens) * r.outAudioShare),
      requests: r.requests,
    };
  });

describe('price book properties', () => {
  it('amount is exactly the sum of its components and never negative, for any valid usage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        validUsage,
        fc.constantFrom('default', 'batch', 'flex', 'priority'),
        fc.integer({ min: Date.parse('2024-01-01'), max: Date.parse('2027-01-01') }),
        ([provider, model], usage, serviceTier, timestamp) => {
          const result = book.price({ provider, model, usage, serviceTier, timestamp });
          expect(result.status).not.toBe('unpriced');
          if (result.status === 'unpriced') return;
          const { nanos, components } = result;
          for (const value of Object.values(nanos)) {
            expect(Number.isSafeInteger(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
          expect(nanos.amount).toBe(nanos.input + nanos.output + nanos.cacheRead + nanos.cacheWrite + nanos.request);
          expect(result.amount).toBe(nanos.amount / 1e9);
          expect(components.input).toBe(nanos.input / 1e9);
          const floatSum =
            components.input + components.output + components.cacheRead + components.cacheWrite + components.request;
          expect(Math.abs(floatSum - result.amount)).toBeLessThanOrEqual(
            Number.EPSILON * 8 * Math.max(1, result.amount),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('more tokens never cost less (same model, tier and time)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150_000 }), fc.integer({ min: 1, max: 40_000 }), (input, extra) => {
        const at = (inputTokens: number) =>
          book.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens, outputTokens: 100 } });
        const a = at(input);
        const b = at(input + extra);
        if (a.status === 'unpriced' || b.status === 'unpriced') throw new Error('expected prices');
        expect(b.nanos.amount).toBeGreaterThanOrEqual(a.nanos.amount);
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        (model, provider, usage, timestamp, serviceTier) => {
          const request = { model, provider, usage, timestamp, serviceTier } as never;
          const result = book.price(request);
          expect(['priced', 'partial', 'unpriced']).toContain(result.status);
          expect(() => book.price(model as never)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
