import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPriceBook, priceBookRateCard, type RateCard } from './price-book.js';

/**
 * Prices one request from a rate card the way a SQL engine does (integer arithmetic only): the first rule holding
 * at the time, the last long-context tier below the input, subsets taken out of their parents where priced, each
 * component rounded half up to nano-dollars.
 */
function priceFromCard(
  card: RateCard,
  time: number,
  u: { input: number; output: number; cacheRead: number; cacheWrite: number; cacheWrite1h: number; reasoning: number },
): bigint | null {
  const day = 86_400_000;
  const rule = card.rules.find((r) => {
    if (r.window) {
      const s = (((time % day) + day) % day) / 1000;
      return r.window.end < r.window.start
        ? s >= r.window.start || s < r.window.end
        : s >= r.window.start && s < r.window.end;
    }
    return time >= r.from;
  });
  if (!rule?.tiers) return null;
  const tier = [...rule.tiers].reverse().find((t) => u.input > t.above)!;
  const r = tier.rates;
  const pos = (x: number) => BigInt(Math.max(x, 0));
  const round = (femto: bigint) => (femto + 500_000n) / 1_000_000n;
  const cacheRead = r.cacheRead >= 0 ? u.cacheRead : 0;
  const cacheWrite = r.cacheWrite >= 0 ? u.cacheWrite : 0;
  const reasoning = r.reasoning >= 0 ? u.reasoning : 0;
  const cw1h = r.cacheWrite1h >= 0 ? Math.min(u.cacheWrite1h, cacheWrite) : 0;
  const input = round(BigInt(u.input - cacheRead - cacheWrite) * pos(r.input));
  const output = round(BigInt(u.output - reasoning) * pos(r.output) + BigInt(reasoning) * pos(r.reasoning));
  const read = round(BigInt(cacheRead) * pos(r.cacheRead));
  const write = round(BigInt(cacheWrite - cw1h) * pos(r.cacheWrite) + BigInt(cw1h) * pos(r.cacheWrite1h));
  const request = r.request >= 0 ? round(BigInt(r.request)) : 0n;
  return input + output + read + write + request;
}

const KEYS: Array<[string | undefined, string, string | undefined]> = [
  ['openai', 'gpt-4o', undefined],
  ['openai', 'gpt-4o-mini', 'priority'],
  ['openai', 'gpt-4o-2024-08-06', 'flex'],
  ['anthropic', 'claude-sonnet-4-20250514', undefined],
  ['anthropic', 'claude-sonnet-4-5', 'Priority'],
  ['gcp.gemini', 'gemini-2.5-pro', undefined],
  ['google', 'gemini-2.5-flash', 'unheard-of'],
  [undefined, 'o3', undefined],
  ['openai', 'mystery-model', undefined],
  ['deepseek', 'deepseek-chat', undefined],
];

describe('priceBookRateCard', () => {
  it('prices every request exactly as price() does, for catalog entries and overrides', () => {
    const books = [
      createPriceBook(),
      createPriceBook({
        overrides: {
          models: [
            {
              match: 'gpt-4o',
              provider: 'openai',
              from: '2026-10-05',
              prices: { input: 1.25, output: 5, cacheRead: 0.5 },
            },
            {
              match: 'mystery-model',
              prices: { input: 3, output: 9 },
              tiers: [{ above: 100_000, prices: { input: 6, output: 18 } }],
            },
          ],
        },
      }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...books),
        fc.constantFrom(...KEYS),
        fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 1_500_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (book, [provider, model, tier], time, input, output, rs, ws, hs, qs) => {
          const cacheRead = Math.floor(input * rs);
          const cacheWrite = Math.floor((input - cacheRead) * ws);
          const usage = {
            input,
            output,
            cacheRead,
            cacheWrite,
            cacheWrite1h: Math.floor(cacheWrite * hs),
            reasoning: Math.floor(output * qs),
          };
          const result = book.price({
            provider,
            model,
            serviceTier: tier,
            timestamp: time,
            usage: {
              inputTokens: usage.input,
              outputTokens: usage.output,
              cacheReadTokens: usage.cacheRead,
              cacheWriteTokens: usage.cacheWrite,
              cacheWrite1hTokens: usage.cacheWrite1h,
              reasoningTokens: usage.reasoning,
            },
          });
          const card = priceBookRateCard(book, { provider, model, serviceTier: tier });
          const expected = result.status === 'unpriced' ? null : BigInt(result.nanos.amount);
          expect(priceFromCard(card, time, usage)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses a price book it did not make', () => {
    expect(() =>
      priceBookRateCard({ price: () => ({ status: 'unpriced', reason: 'x' }), source: 'x' }, { model: 'm' }),
    ).toThrow(/createPriceBook/);
  });
});
