import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributionKeys, parseAttribution } from './attribution.js';
import { parseCompat } from './compat.js';
import { ConfigError } from './config-error.js';
import { parseGpu } from './gpu.js';
import { parsePrices } from './prices.js';
import type { ConfigProblem } from './problem.js';
import { readConfigFile } from './read-config-file.js';
import type { SectionParser } from './section.js';
import { parseSharedConfig, SHARED_SECTION_KEYS } from './shared-config.js';

const dir = mkdtempSync(join(tmpdir(), 'costspan-config-'));
const context = { baseDir: dir };
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs a section parser at its usual top-level key; returns what it parsed and the paths of its problems. */
function run<T>(parse: SectionParser<T>, key: string, raw: unknown) {
  const problems: ConfigProblem[] = [];
  const value = parse(raw, key, problems, context);
  return { value, problems, paths: problems.map((p) => p.path) };
}
const pathsOf = <T>(parse: SectionParser<T>, key: string, raw: unknown) => run(parse, key, raw).paths;

describe('compat', () => {
  it('reads the known switches; absent or null is none', () => {
    expect(run(parseCompat, 'compat', ['openinference', 'logfire', 'openlit-langfuse'])).toMatchObject({
      value: ['openinference', 'logfire', 'openlit-langfuse'],
      problems: [],
    });
    expect(run(parseCompat, 'compat', null)).toEqual({ value: [], problems: [], paths: [] });
  });

  it('names each bad entry', () => {
    expect(run(parseCompat, 'compat', 'logfire').problems).toEqual([
      { path: 'compat', message: 'expected a list of switches (openlit-langfuse, openinference, logfire)' },
    ]);
    expect(pathsOf(parseCompat, 'compat', ['logfire', 'langfuse', 3])).toEqual(['compat[1]', 'compat[2]']);
    expect(run(parseCompat, 'compat', ['langfuse']).problems[0]?.message).toBe(
      'unknown switch "langfuse" (openlit-langfuse, openinference, logfire)',
    );
    expect(pathsOf(parseCompat, 'processors.costspan.compat', ['x'])).toEqual(['processors.costspan.compat[0]']);
  });
});

describe('attribution', () => {
  it('reads feature and tenant keys and maxTenants', () => {
    const { value, problems } = run(parseAttribution, 'attribution', {
      featureKeys: ['app.feature', 'costspan.feature'],
      tenantKeys: ['customer.id'],
      maxTenants: 50,
    });
    expect(problems).toEqual([]);
    expect(value).toEqual({
      featureKeys: ['app.feature', 'costspan.feature'],
      tenantKeys: ['customer.id'],
      maxTenants: 50,
    });
    expect(attributionKeys(value)).toEqual({
      featureKeys: ['app.feature', 'costspan.feature'],
      tenantKeys: ['customer.id'],
    });
    expect(attributionKeys({ maxTenants: 5 })).toBeUndefined();
    expect(run(parseAttribution, 'attribution', null).value).toBeUndefined();
  });

  it('names each bad field, all at once', () => {
    expect(pathsOf(parseAttribution, 'attribution', ['app.feature'])).toEqual(['attribution']);
    expect(pathsOf(parseAttribution, 'attribution', { featureKeys: [] })).toEqual(['attribution.featureKeys']);
    expect(pathsOf(parseAttribution, 'attribution', { featureKeys: 'app.feature' })).toEqual([
      'attribution.featureKeys',
    ]);
    expect(pathsOf(parseAttribution, 'attribution', { tenantKeys: [' '] })).toEqual(['attribution.tenantKeys']);
    for (const maxTenants of [0, 2.5, '5', -1]) {
      expect(pathsOf(parseAttribution, 'attribution', { maxTenants })).toEqual(['attribution.maxTenants']);
    }
    const { value, problems } = run(parseAttribution, 'attribution', {
      tenants: ['x'],
      featureKeys: [],
      tenantKeys: [1],
      maxTenants: 0,
    });
    expect(value).toBeUndefined();
    expect(problems).toEqual([
      { path: 'attribution.tenants', message: 'unknown key (featureKeys, tenantKeys, maxTenants)' },
      { path: 'attribution.featureKeys', message: 'expected a non-empty list of baggage entry / attribute names' },
      { path: 'attribution.tenantKeys', message: 'expected a non-empty list of baggage entry / attribute names' },
      { path: 'attribution.maxTenants', message: 'expected a positive whole number' },
    ]);
  });
});

describe('gpu', () => {
  const node = { id: 'gpu-a', hourlyRate: 3.6, match: { 'server.address': 'vllm.internal' } };

  it('returns a valid section as given', () => {
    const gpu = { nodes: [node], window: 30_000, method: 'tokens' };
    expect(run(parseGpu, 'gpu', gpu)).toEqual({ value: gpu, problems: [], paths: [] });
  });

  it('names each bad field at its path from the document root, all at once', () => {
    expect(run(parseGpu, 'gpu', 'gpu-a').problems).toEqual([{ path: 'gpu', message: 'must be an object' }]);
    expect(pathsOf(parseGpu, 'gpu', {})).toEqual(['gpu.nodes']);
    expect(pathsOf(parseGpu, 'gpu', { nodes: [{ ...node, hourlyRate: -1 }] })).toEqual(['gpu.nodes[0].hourlyRate']);
    expect(pathsOf(parseGpu, 'gpu', { nodes: [node], window: 0 })).toEqual(['gpu.window']);
    expect(pathsOf(parseGpu, 'gpu', { nodes: [node], method: 'fair' })).toEqual(['gpu.method']);
    expect(pathsOf(parseGpu, 'gpu', { nodes: [{ ...node, match: { 'server.port': 0 } }] })).toEqual([
      "gpu.nodes[0].match['server.port']",
    ]);
    const { value, problems } = run(parseGpu, 'gpu', {
      nodes: [node, { id: 'gpu-a', hourlyRate: 'cheap', currency: 'usd' }],
      idle: 'never',
      frequency: 1,
    });
    expect(value).toBeUndefined();
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['gpu.frequency', 'gpu.idle', 'gpu.nodes[1].currency', 'gpu.nodes[1].hourlyRate'].sort(),
    );
    expect(problems.find((p) => p.path === 'gpu.nodes[1].hourlyRate')?.message).toBe('must be a positive number');
  });

  it('reports under the path it is given', () => {
    expect(pathsOf(parseGpu, 'shared.gpu', { nodes: [{ ...node, hourlyRate: 0 }] })).toEqual([
      'shared.gpu.nodes[0].hourlyRate',
    ]);
  });
});

describe('prices', () => {
  it('reads overrides inline', () => {
    const { value, problems } = run(parsePrices, 'prices', {
      models: [{ match: 'house-model', provider: 'openai', prices: { input: 1, output: 2 } }],
    });
    expect(problems).toEqual([]);
    expect(value).toEqual({
      overrides: { models: [{ match: 'house-model', provider: 'openai', prices: { input: 1, output: 2 } }] },
    });
    expect(run(parsePrices, 'prices', null).value).toEqual({ overrides: {} });
  });

  it('names each bad field of inline overrides under prices, all at once', () => {
    const { value, problems } = run(parsePrices, 'prices', {
      models: [
        { match: 'a', prices: { input: 1 } },
        { match: 'b', prices: { input: 1 } },
        { match: 'c', prices: { input: -1, output: 'free' } },
      ],
      currency: 'EUR',
    });
    expect(value).toBeUndefined();
    expect(problems).toEqual([
      { path: 'prices.currency', message: "only 'USD' is supported, got 'EUR'" },
      {
        path: 'prices.models[2].prices.input',
        message: 'expected a non-negative number (USD per million tokens), got -1',
      },
      {
        path: 'prices.models[2].prices.output',
        message: "expected a non-negative number (USD per million tokens), got 'free'",
      },
    ]);
    expect(pathsOf(parsePrices, 'prices', ['x'])).toEqual(['prices']);
  });

  it('reads a prices file relative to the base directory; its problems name the file', () => {
    file('good-prices.yaml', 'models:\n  - { match: house-model, prices: { input: 1, output: 2 } }\n');
    expect(run(parsePrices, 'prices', 'good-prices.yaml').value).toEqual({
      overrides: { models: [{ match: 'house-model', prices: { input: 1, output: 2 } }] },
      file: join(dir, 'good-prices.yaml'),
    });
    const bad = file('bad-prices.yaml', 'models:\n  - { match: x, prices: { input: -1 } }\n');
    expect(run(parsePrices, 'prices', 'bad-prices.yaml').problems).toEqual([
      {
        source: bad,
        path: 'models[0].prices.input',
        message: 'expected a non-negative number (USD per million tokens), got -1',
      },
    ]);
    expect(run(parsePrices, 'prices', 'none.yaml').problems).toEqual([
      { source: join(dir, 'none.yaml'), path: '', message: 'file not found' },
    ]);
  });
});

describe('parseSharedConfig', () => {
  it('reads every shared section and leaves other sections to the door', () => {
    file('shared-prices.yaml', 'models:\n  - { match: house-model, prices: { input: 1, output: 2 } }\n');
    const problems: ConfigProblem[] = [];
    const config = parseSharedConfig(
      {
        receivers: { otlp: {} },
        prices: 'shared-prices.yaml',
        gpu: { nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }] },
        attribution: { featureKeys: ['app.feature'], maxTenants: 20 },
        compat: ['openinference'],
        budgets: [{ name: 'acme-daily', tenant: 'acme', window: 'day', limit: 5, soft: 0.8 }],
      },
      problems,
      context,
    );
    expect(problems).toEqual([]);
    expect(config).toEqual({
      prices: {
        overrides: { models: [{ match: 'house-model', prices: { input: 1, output: 2 } }] },
        file: join(dir, 'shared-prices.yaml'),
      },
      gpu: { nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }] },
      attribution: { featureKeys: ['app.feature'], maxTenants: 20 },
      compat: ['openinference'],
      budgets: [{ name: 'acme-daily', tenant: 'acme', window: 'day', limitNanos: 5_000_000_000n, soft: 0.8 }],
    });
    expect(parseSharedConfig({}, problems, context)).toEqual({});
    expect(SHARED_SECTION_KEYS).toEqual(['compat', 'attribution', 'budgets', 'gpu', 'prices']);
  });

  it('reports every problem of every section at once, each at its exact path', () => {
    const problems: ConfigProblem[] = [];
    parseSharedConfig(
      {
        prices: {
          models: [
            { match: 'a', prices: { input: 1 } },
            { match: 'b', prices: { input: 'cheap' } },
          ],
        },
        gpu: { nodes: [{ id: 'gpu-a', hourlyRate: -1 }] },
        attribution: { featureKeys: [], maxTenants: 0 },
        compat: ['langfuse'],
        budgets: [{ name: 'acme', window: 'week', limit: 5 }],
      },
      problems,
      context,
    );
    expect(problems.map((p) => p.path)).toEqual([
      'compat[0]',
      'attribution.featureKeys',
      'attribution.maxTenants',
      'budgets[0].window',
      'gpu.nodes[0].hourlyRate',
      'prices.models[1].prices.input',
    ]);
    const error = new ConfigError(problems, { source: '/etc/costspan.yaml' });
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('/etc/costspan.yaml: gpu.nodes[0].hourlyRate: must be a positive number; ');
    expect(error.message).toContain('/etc/costspan.yaml: compat[0]: unknown switch "langfuse"');
  });
});

describe('readConfigFile', () => {
  it('reads YAML, and JSON for a .json name', () => {
    const problems: ConfigProblem[] = [];
    expect(readConfigFile(file('c.yaml', 'compat: [logfire]\n'), problems)).toEqual({ compat: ['logfire'] });
    expect(readConfigFile(file('c.json', '{ "compat": ["logfire"] }'), problems)).toEqual({ compat: ['logfire'] });
    expect(readConfigFile(file('empty.yaml', ''), problems)).toBeNull();
    expect(problems).toEqual([]);
  });

  it('reports a missing file or a syntax error as one problem at the root', () => {
    const problems: ConfigProblem[] = [];
    expect(readConfigFile(join(dir, 'missing.yaml'), problems)).toBeUndefined();
    readConfigFile(file('broken.json', '{ "compat": '), problems);
    readConfigFile(file('broken.yaml', 'compat: [a\n'), problems);
    expect(problems.map((p) => [p.path, p.message.split(':')[0]])).toEqual([
      ['', 'file not found'],
      ['', 'not valid JSON'],
      ['', 'not valid YAML'],
    ]);
  });
});

describe('ConfigError', () => {
  it('lists every problem with its path (and its own file) on one line', () => {
    const error = new ConfigError(
      [
        { path: 'gpu.window', message: 'must be a positive integer' },
        { path: '', message: 'file not found', source: '/srv/prices.yaml' },
      ],
      { source: '/srv/costspan.yaml', prefix: 'invalid configuration: ' },
    );
    expect(error.message).toBe(
      'invalid configuration: /srv/costspan.yaml: gpu.window: must be a positive integer; /srv/prices.yaml: (root): file not found',
    );
    expect(error.problems).toHaveLength(2);
    expect(error.source).toBe('/srv/costspan.yaml');
  });
});
