import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPriceBook } from '@costspan/pricing';
import { describe, expect, it } from 'vitest';
import { CostspanConfigError, resolveCostspanConfig } from './costspan-config.js';

const dir = mkdtempSync(join(tmpdir(), 'costspan-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function errorOf(fn: () => unknown): CostspanConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CostspanConfigError) return error;
    throw error;
  }
  throw new Error('expected a CostspanConfigError');
}

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
const request = { provider: 'openai', model: 'gpt-4o-mini', usage, timestamp: Date.parse('2026-01-01') };

describe('COSTSPAN_CONFIG', () => {
  it('without any source: catalog prices, default attribution, no compat, no gpu', () => {
    const config = resolveCostspanConfig({});
    expect(config.priceBook.price(request)).toEqual(createPriceBook().price(request));
    expect(config).toMatchObject({ compat: [], warnings: [] });
    expect(config.attribution).toBeUndefined();
    expect(config.gpu).toBeUndefined();
  });

  it('reads every section of a YAML file', () => {
    const path = file(
      'full.yaml',
      `# shared with the collector: its sections are left to it
receivers: { otlp: { protocols: { http: {} } } }
prices:
  models:
    - match: gpt-4o-mini
      provider: openai
      prices: { input: 1, output: 3 }
gpu:
  nodes:
    - id: gpu-a
      hourlyRate: 4.2
      match: { server.address: vllm.internal }
attribution:
  featureKeys: [app.feature, costspan.feature]
  tenantKeys: [app.tenant]
  maxTenants: 20
compat: [openinference, logfire]
budgets:
  - { name: acme-monthly, tenant: acme, window: month, limit: 100, soft: 0.9 }
`,
    );
    const config = resolveCostspanConfig({ configFile: path });
    expect(config.budgets).toEqual([
      { name: 'acme-monthly', tenant: 'acme', window: 'month', limitNanos: 100_000_000_000n, soft: 0.9 },
    ]);
    expect(config.priceBook.price(request)).toMatchObject({ status: 'priced', amount: 4 });
    expect(config.attribution).toEqual({
      featureKeys: ['app.feature', 'costspan.feature'],
      tenantKeys: ['app.tenant'],
    });
    expect(config.maxTenants).toBe(20);
    expect(config.compat).toEqual(['openinference', 'logfire']);
    expect(config.gpu?.nodes.map((n) => n.id)).toEqual(['gpu-a']);
  });

  it('reads JSON, and a prices path relative to the config file', () => {
    file('prices.yaml', 'models:\n  - match: gpt-4o-mini\n    prices: { input: 2, output: 2 }\n');
    const path = file('with-path.json', JSON.stringify({ prices: 'prices.yaml' }));
    expect(resolveCostspanConfig({ configFile: path }).priceBook.price(request)).toMatchObject({ amount: 4 });
  });

  it('COSTSPAN_PRICES is used instead of the config prices, with a warning', () => {
    const prices = file(
      'env-prices.yaml',
      'models:\n  - match: gpt-4o-mini\n    prices: { input: 0.5, output: 0.5 }\n',
    );
    const config = resolveCostspanConfig({
      config: { prices: { models: [{ match: 'gpt-4o-mini', prices: { input: 9, output: 9 } }] } },
      pricesFile: prices,
    });
    expect(config.priceBook.price(request)).toMatchObject({ amount: 1 });
    expect(config.warnings).toEqual([
      `COSTSPAN_PRICES (${prices}) is used; the 'prices' section of startCostspan({ config }) is ignored`,
    ]);
  });

  it('names the file and every bad key in one line', () => {
    const path = file(
      'bad.yaml',
      `prices:
  models:
    - match: gpt-4o-mini
      prices: { input: cheap }
gpu:
  nodes:
    - id: gpu-a
      hourlyRate: -1
attribution:
  featureKeys: []
  maxTenants: 0
  tenants: [x]
compat: [langfuse]
pricing: {}
budgets:
  - { name: acme, tenant: acme, window: week, limit: 5 }
`,
    );
    const error = errorOf(() => resolveCostspanConfig({ configFile: path }));
    expect(error.source).toBe(path);
    expect(error.problems.map((i) => i.path)).toEqual([
      'pricing',
      'compat[0]',
      'attribution.tenants',
      'attribution.featureKeys',
      'attribution.maxTenants',
      'budgets[0].window',
      'gpu.nodes[0].hourlyRate',
      'prices.models[0].prices.input',
    ]);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(`${path}: gpu.nodes[0].hourlyRate: must be a positive number`);
    expect(error.message).toContain(`${path}: compat[0]: unknown switch "langfuse"`);
  });

  it('reports a missing file, a syntax error and a non-mapping with the file name', () => {
    const missing = join(dir, 'nope.yaml');
    expect(errorOf(() => resolveCostspanConfig({ configFile: missing })).message).toBe(
      `${missing}: (root): file not found`,
    );
    const broken = file('broken.json', '{ "prices": ');
    expect(errorOf(() => resolveCostspanConfig({ configFile: broken })).message).toContain(
      `${broken}: (root): not valid JSON`,
    );
    const list = file('list.yaml', '- a\n- b\n');
    expect(errorOf(() => resolveCostspanConfig({ configFile: list })).message).toBe(
      `${list}: (root): expected a mapping`,
    );
  });

  it('a bad COSTSPAN_PRICES file is reported under its own name', () => {
    const prices = file('bad-prices.yaml', 'models:\n  - match: x\n    prices: { input: -1 }\n');
    const error = errorOf(() => resolveCostspanConfig({ pricesFile: prices }));
    expect(error.problems).toEqual([
      { source: prices, path: 'models[0].prices.input', message: expect.stringContaining('non-negative') },
    ]);
  });
});
