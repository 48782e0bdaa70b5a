import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceOverridesFile } from './overrides-load.js';
import { PriceOverridesError, parsePriceOverrides } from './overrides-parse.js';

function errorOf(run: () => unknown): PriceOverridesError {
  try {
    run();
  } catch (error) {
    if (error instanceof PriceOverridesError) return error;
    throw error;
  }
  throw new Error('expected a PriceOverridesError');
}

const dir = mkdtempSync(join(tmpdir(), 'costspan-overrides-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('price overrides validation', () => {
  it('accepts every documented feature', () => {
    const value = {
      currency: 'USD',
      serviceTiers: { batch: 0.5, Priority: 2 },
      models: [
        { match: 'my-model', prices: { input: 0, output: 0 } },
        {
          match: { prefix: 'ft:' },
          provider: 'openai',
          id: 'fine-tunes',
          from: '2025-01-01',
          prices: {
            input: 1,
            cacheRead: 0.5,
            cacheWrite: 1.25,
            cacheWrite1h: 2,
            inputAudio: 4,
            outputAudio: 8,
            reasoning: 3,
            output: 2,
            request: 0.01,
          },
        },
        {
          match: { regex: '^llama' },
          prices: { request: 0.002 },
          tiers: [{ above: 200000, prices: { input: 2 } }],
          serviceTiers: { flex: 0.5, priority: { input: 3 } },
        },
      ],
    };
    const parsed = parsePriceOverrides(value, 'config.yaml#prices');
    expect(parsed.serviceTiers).toEqual({ batch: 0.5, priority: 2 });
    expect(parsed.models).toHaveLength(3);
    expect(parsePriceOverrides(null, 'empty.yaml')).toEqual({});
  });

  it('names the source, the path inside it and what is wrong', () => {
    const error = errorOf(() =>
      parsePriceOverrides(
        {
          models: [
            { match: 'a', prices: { input: 1 } },
            { match: 'b', prices: { input: 1 } },
            { match: 'c', prices: { input: 1 } },
            { match: 'd', prices: { input: 'cheap', output: 1 } },
          ],
        },
        'prices.yaml',
      ),
    );
    expect(error.message).toBe(
      "prices.yaml: models[3].prices.input: expected a non-negative number (USD per million tokens), got 'cheap'",
    );
    expect(error.issues).toEqual([
      {
        path: 'models[3].prices.input',
        message: "expected a non-negative number (USD per million tokens), got 'cheap'",
      },
    ]);
  });

  it('reports every problem at once: unknown keys, bad match rules, dates, tiers and multipliers', () => {
    const error = errorOf(() =>
      parsePriceOverrides(
        {
          model: [],
          serviceTiers: { batch: -1 },
          models: [
            { match: { glob: 'x*' }, prices: { inptu: 1 } },
            { match: { regex: '(' }, from: 'June', prices: { output: 1 }, tiers: [{ above: 0, prices: {} }] },
            { prices: { input: 1 } },
          ],
        },
        'p.json',
      ),
    );
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toEqual([
      'model',
      'serviceTiers.batch',
      'models[0].match',
      'models[0].prices.inptu',
      'models[0].prices',
      'models[1].match.regex',
      'models[1].from',
      'models[1].tiers[0].above',
      'models[2].match',
    ]);
    expect(error.message.split('\n')[0]).toBe('p.json: invalid price overrides');
    expect(error.message).toContain('p.json: models[0].prices.inptu: unknown key; expected one of input, output');
  });

  it('loads YAML and JSON files, and names the file when it is missing or malformed', () => {
    expect(
      loadPriceOverridesFile(file('ok.yaml', 'models:\n  - match: x\n    prices: { input: 1 }\n')).overrides.models,
    ).toHaveLength(1);
    expect(loadPriceOverridesFile(file('ok.json', '{"models":[{"match":"x","prices":{"output":2}}]}')).source).toMatch(
      /^overrides:ok\.json#/,
    );

    const missing = join(dir, 'nope.yaml');
    expect(errorOf(() => loadPriceOverridesFile(missing)).message).toBe(`${missing}: (root): file not found`);
    const badYaml = file('bad.yaml', 'models: [\n');
    expect(errorOf(() => loadPriceOverridesFile(badYaml)).message).toMatch(
      new RegExp(`^${badYaml.replaceAll('/', '\\/')}: \\(root\\): not valid YAML`),
    );
    const badJson = file('bad.json', '{"models": }');
    expect(errorOf(() => loadPriceOverridesFile(badJson)).message).toMatch(/bad\.json: \(root\): not valid JSON/);
    const wrong = file(
      'wrong.yaml',
      'models:\n  - match: x\n    prices: { input: 1 }\n  - match: y\n    prices: { output: -2 }\n',
    );
    expect(errorOf(() => loadPriceOverridesFile(wrong)).message).toBe(
      `${wrong}: models[1].prices.output: expected a non-negative number (USD per million tokens), got -2`,
    );
  });

  it('never echoes the content of a file that is not a price file', () => {
    const secret = file('passwd', 'root:x:0:0:root:/root:/bin/bash\nsecret-token-value\n');
    const message = errorOf(() => loadPriceOverridesFile(secret)).message;
    expect(message).toBe(
      `${secret}: (root): not a price overrides file: expected a mapping with 'models' and/or 'serviceTiers', got a string`,
    );
    expect(message).not.toContain('root:x');
    expect(errorOf(() => loadPriceOverridesFile(file('list.yaml', '- a\n- b\n'))).message).toContain('got a list');
    expect(loadPriceOverridesFile(file('empty.yaml', '')).overrides).toEqual({});
  });
});
