import { describe, expect, it } from 'vitest';
import { parseBudgets } from './budgets.js';
import type { ConfigProblem } from './problem.js';

function parse(value: unknown) {
  const problems: ConfigProblem[] = [];
  const budgets = parseBudgets(value, 'budgets', problems);
  return { budgets, issues: problems.map((p) => `${p.path}: ${p.message}`) };
}

describe('parseBudgets', () => {
  it('reads budgets with exact nano-dollar limits', () => {
    const { budgets, issues } = parse([
      { name: 'acme-day', tenant: 'acme', window: 'day', limit: 12.5, soft: 0.8 },
      { name: 'summaries', feature: 'summarize', window: 'month', limit: '0.000000001' },
      { name: 'all', window: 'hour', limit: 3 },
    ]);
    expect(issues).toEqual([]);
    expect(budgets).toEqual([
      { name: 'acme-day', tenant: 'acme', window: 'day', limitNanos: 12_500_000_000n, soft: 0.8 },
      { name: 'summaries', feature: 'summarize', window: 'month', limitNanos: 1n },
      { name: 'all', window: 'hour', limitNanos: 3_000_000_000n },
    ]);
  });

  it('names every problem with its path', () => {
    const { budgets, issues } = parse([
      { name: 'a', window: 'week', limit: 1 },
      { name: 'a', window: 'day', limit: -2 },
      { name: 'b', window: 'day', limit: 1, soft: 1.5, tier: 'gold' },
      { name: 'c', window: 'day', limit: '1.0000000001' },
      'x',
    ]);
    expect(budgets).toEqual([]);
    expect(issues).toEqual([
      'budgets[0].window: expected one of hour, day, month, got "week"',
      "budgets[1].name: duplicate budget name 'a'",
      'budgets[1].limit: expected a positive amount in USD with at most 9 decimals, got -2',
      'budgets[2].tier: unknown key (expected one of: name, tenant, feature, window, limit, soft)',
      'budgets[2].soft: expected a fraction of the limit between 0 and 1 (0.8 = 80 %), got 1.5',
      'budgets[3].limit: expected a positive amount in USD with at most 9 decimals, got "1.0000000001"',
      'budgets[4]: expected a mapping with name, window and limit',
    ]);
    expect(parse({ name: 'x' }).issues).toEqual([
      'budgets: expected a list of budgets ({ name, tenant?, feature?, window, limit, soft? })',
    ]);
  });
});
