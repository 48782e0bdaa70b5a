import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAnthropicCostReport } from './invoice-anthropic.js';
import { parseOpenAiCosts } from './invoice-openai.js';
import { detectInvoiceFormat, readInvoice } from './invoice-read.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('invoice readers', () => {
  it('reads FOCUS rows: BilledCost by default, EffectiveCost on request, nodes from tags', async () => {
    const billed = await readInvoice(fixture('focus-2026-10.csv'), { knownNodes: new Set(['gpu-a']) });
    expect(billed.format).toBe('focus');
    expect(billed.issues).toEqual([]);
    expect(billed.lines).toEqual([
      { line: 2, day: '2026-10-01', provider: 'openai', model: 'gpt-4o', node: null, amount: 13_200_000n, hints: [] },
      { line: 3, day: '2026-10-01', provider: null, model: null, node: 'gpu-a', amount: 24_000_000_000n, hints: [] },
    ]);
    const effective = await readInvoice(fixture('focus-2026-10.csv'), { costColumn: 'EffectiveCost' });
    expect(effective.lines[1]?.amount).toBe(20_000_000_000n);
  });

  it('reports every malformed FOCUS row with its line number', async () => {
    const parsed = await readInvoice(fixture('focus-malformed.csv'), { format: 'focus' });
    expect(parsed.issues.map((i) => i.line)).toEqual([3, 4, 5]);
    expect(parsed.issues[0]?.message).toMatch(/BilledCost/);
    expect(parsed.issues[1]?.message).toMatch(/ChargePeriodStart/);
    expect(parsed.issues[2]?.message).toMatch(/EUR is not USD.*Tags/);
  });

  it('reads OpenAI costs exactly from the JSON digits and maps line items to models', async () => {
    const parsed = await readInvoice(fixture('openai-costs-2026-10.json'));
    expect(parsed.format).toBe('openai-costs');
    expect(parsed.issues).toEqual([]);
    expect(parsed.lines.map((l) => [l.line, l.day, l.provider, l.model, l.amount])).toEqual([
      [9, '2026-10-01', 'openai', 'gpt-4o-2024-08-06', 9_900_000n],
      [15, '2026-10-01', 'openai', 'gpt-4o-2024-08-06', 3_300_000n],
    ]);
    const cached = parseOpenAiCosts(
      '{"data":[{"start_time":1790812800,"results":[{"amount":{"value":0.30000000000000004,"currency":"usd"},"line_item":"gpt-4o-mini, cached input"}]}]}',
    );
    expect(cached.lines[0]?.amount).toBe(300_000_000n);
    expect(cached.lines[0]?.hints).toEqual(['cache']);
  });

  it('reads Anthropic amounts as cents in decimal strings', async () => {
    const parsed = await readInvoice(fixture('anthropic-cost-report-2026-10.json'));
    expect(parsed.format).toBe('anthropic-cost-report');
    expect(parsed.lines.map((l) => [l.model, l.amount])).toEqual([
      ['claude-sonnet-4-20250514', 9_000_000n],
      ['claude-sonnet-4-20250514', 6_000_000n],
    ]);
    const batch = parseAnthropicCostReport(
      '{"data":[{"starting_at":"2026-10-02T00:00:00Z","results":[{"currency":"USD","amount":"123.45","model":"claude-haiku-4-5","service_tier":"batch","token_type":"cache_read_input_tokens","context_window":"200k-1M"}]}]}',
    );
    expect(batch.lines[0]).toMatchObject({ day: '2026-10-02', amount: 1_234_500_000n });
    expect(batch.lines[0]?.hints.sort()).toEqual(['batch', 'cache', 'long-context']);
  });

  it('reports malformed JSON results with their line numbers and imports none of them', () => {
    const text = [
      '{"data": [{"starting_at": "2026-10-01T00:00:00Z", "results": [',
      '  {"currency": "USD", "amount": "10", "model": "claude-haiku-4-5"},',
      '  {"currency": "USD", "amount": 10, "model": "claude-haiku-4-5"},',
      '  {"currency": "EUR", "amount": "1x", "model": "claude-haiku-4-5"}',
      ']}]}',
    ].join('\n');
    const parsed = parseAnthropicCostReport(text);
    expect(parsed.issues.map((i) => i.line)).toEqual([3, 4]);
    expect(parsed.issues[1]?.message).toMatch(/amount.*currency/);
    const openai = parseOpenAiCosts('{"data":[\n{"start_time":"yesterday","results":[]}\n]}');
    expect(openai.issues).toEqual([{ line: 2, message: expect.stringMatching(/start_time/) }]);
  });

  it('detects formats and reports JSON syntax errors by line', async () => {
    expect(detectInvoiceFormat('BilledCost,ChargePeriodStart\n')).toBe('focus');
    expect(detectInvoiceFormat('{"data":[{"start_time":1}]}')).toBe('openai-costs');
    expect(detectInvoiceFormat('{"data":[{"starting_at":"x"}]}')).toBe('anthropic-cost-report');
    expect(detectInvoiceFormat('hello')).toBeNull();
  });
});
