import { describe, expect, it } from 'vitest';
import { createPriceBook } from './price-book.js';

const book = createPriceBook();

/**
 * OpenAI bills prompt-cache writes on the GPT-5.6 family at 1.25× the uncached input price (earlier models: free).
 * The bundled catalog carries the rate for every member, so no patch is needed; this pins it. Usage as our
 * instrumentation records a recorded GPT-5.6 response: 10 000 input tokens of which 4 000 read from and 2 000
 * written to the cache, 1 000 output.
 */
describe('OpenAI GPT-5.6 cache writes', () => {
  const usage = { inputTokens: 10_000, cacheReadTokens: 4000, cacheWriteTokens: 2000, outputTokens: 1000 };
  it.each([
    // model, input $/M, output $/M: writes at 1.25× input, reads at 0.1× input.
    ['gpt-5.6-luna', 0.2, 1.2],
    ['gpt-5.6-terra', 2, 12],
    ['gpt-5.6-sol-2026-08-01', 4, 20],
  ])('%s: writes at 1.25× input, exactly', (model, input, output) => {
    const r = book.price({ provider: 'openai', model, usage });
    if (r.status === 'unpriced') throw new Error(r.reason);
    const nanos = (tokens: number, perMillion: number) => Math.round(tokens * perMillion * 1000);
    expect(r.nanos.cacheWrite).toBe(nanos(2000, input * 1.25));
    expect(r.nanos.cacheRead).toBe(nanos(4000, input * 0.1));
    expect(r.nanos.input).toBe(nanos(4000, input));
    expect(r.nanos.amount).toBe(
      nanos(4000, input) + nanos(2000, input * 1.25) + nanos(4000, input * 0.1) + nanos(1000, output),
    );
  });

  it('an earlier model reporting no writes is priced as before', () => {
    const r = book.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 500 } });
    expect(r.status === 'unpriced' ? undefined : r.nanos.cacheWrite).toBe(0);
  });
});
