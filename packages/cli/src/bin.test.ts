import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

/** Runs the built `costspan` bin in a real process. */
function costspan(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'costspan-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('costspan (dispatcher)', () => {
  it('lists its commands on --help and exits 0', () => {
    const run = costspan('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('price ');
    expect(run.stdout).toContain('prices list');
    expect(run.stdout).toContain('prices check');
  });

  it('exits 2 for no command, an unknown command or a bare group', () => {
    expect(costspan().code).toBe(2);
    const unknown = costspan('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const group = costspan('prices');
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('prices check');
    expect(costspan('prices', '--help').code).toBe(0);
  });

  it('has --help for each command', () => {
    for (const command of [['price'], ['prices', 'list'], ['prices', 'check']]) {
      const run = costspan(...command, '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: costspan ${command.join(' ')}`);
    }
  });
});

describe('costspan on PATH after npm ci', () => {
  it('is linked in the repository root by npm ci and runs the built command (npx costspan …)', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    for (const [name, usage] of [
      ['costspan', 'Usage: costspan <command>'],
      ['costspan-collector', 'Usage: costspan-collector'],
    ] as const) {
      const run = spawnSync(join(root, 'node_modules', '.bin', name), ['--help'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(usage);
    }
  });
});

describe('costspan price', () => {
  it('prints a readable breakdown', () => {
    const run = costspan(
      'price',
      '--model',
      'gpt-4o',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '500',
      '--cache-read-tokens',
      '400',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/model\s+gpt-4o \(openai\)/);
    expect(run.stdout).toMatch(/input\s+\$0\.0015\n/);
    expect(run.stdout).toMatch(/cache read\s+\$0\.0005\n/);
    expect(run.stdout).toMatch(/output\s+\$0\.005\n/);
    expect(run.stdout).toMatch(/total\s+\$0\.007 USD/);
  });

  it('prints exactly the API result with --json', () => {
    const run = costspan(
      'price',
      '--provider',
      'gcp.gemini',
      '--model',
      'models/gemini-2.5-pro',
      '--input-tokens',
      '250000',
      '--output-tokens',
      '2000',
      '--at',
      '2025-09-01',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      status: 'priced',
      amount: 0.655,
      currency: 'USD',
      components: { input: 0.625, output: 0.03, cacheRead: 0, cacheWrite: 0, request: 0 },
      nanos: { amount: 655_000_000, input: 625_000_000, output: 30_000_000, cacheRead: 0, cacheWrite: 0, request: 0 },
      provider: 'google',
      model: 'gemini-2.5-pro',
      source: '@pydantic/genai-prices@0.1.8',
      serviceTier: 'default',
      tier: 'input>200000',
    });
  });

  it('passes cache, reasoning, date and service-tier flags through', () => {
    const anthropic = costspan(
      'price',
      '--provider',
      'anthropic',
      '--model',
      'claude-sonnet-4-0',
      '--input-tokens',
      '10000',
      '--output-tokens',
      '1000',
      '--cache-read-tokens',
      '2000',
      '--cache-write-tokens',
      '3000',
      '--cache-write-1h-tokens',
      '1000',
      '--json',
    );
    expect(JSON.parse(anthropic.stdout).amount).toBe(0.0441);
    const o3 = (at: string, ...extra: string[]) =>
      JSON.parse(
        costspan(
          'price',
          '--model',
          'o3',
          '--input-tokens',
          '1000',
          '--output-tokens',
          '1000',
          '--reasoning-tokens',
          '800',
          '--at',
          at,
          '--json',
          ...extra,
        ).stdout,
      ).amount;
    expect(o3('2025-06-01')).toBe(0.05);
    expect(o3('2025-06-10T00:00:00Z')).toBe(0.01);
    expect(o3('2025-07-01', '--service-tier', 'batch')).toBe(0.005);
  });

  it('uses a --prices overrides file', () => {
    const prices = file(
      'prices.yaml',
      'models:\n  - match: my-llama\n    provider: vllm\n    prices: { input: 0, output: 0 }\n',
    );
    const run = costspan(
      'price',
      '--provider',
      'vllm',
      '--model',
      'my-llama',
      '--input-tokens',
      '5',
      '--output-tokens',
      '5',
      '--prices',
      prices,
      '--json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'priced', amount: 0, provider: 'vllm', model: 'my-llama' });
  });

  it('exits 2 for an unknown model and suggests close catalog names', () => {
    const run = costspan('price', '--model', 'gpt-4o-mnii', '--input-tokens', '1', '--output-tokens', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unpriced: unknown model 'gpt-4o-mnii'");
    expect(run.stderr).toMatch(/did you mean: .*gpt-4o-mini \(openai\)/);
    const json = costspan(
      'price',
      '--model',
      'claude-sonet-4-5',
      '--provider',
      'anthropic',
      '--input-tokens',
      '1',
      '--output-tokens',
      '1',
      '--json',
    );
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'unpriced',
      reason: "unknown model 'claude-sonet-4-5' for provider 'anthropic'",
    });
    expect(json.stderr).toContain('did you mean: claude-sonnet-4-5 (anthropic)');
  });

  it('exits 2 with a clear message for bad flags', () => {
    const cases: Array<[string[], string]> = [
      [['--model', 'gpt-4o', '--output-tokens', '1'], '--input-tokens is required'],
      [['--input-tokens', '1', '--output-tokens', '1'], '--model is required'],
      [
        ['--model', 'gpt-4o', '--input-tokens', 'lots', '--output-tokens', '1'],
        "--input-tokens must be a non-negative whole number, got 'lots'",
      ],
      [['--model', 'gpt-4o', '--input-tokens', '-5', '--output-tokens', '1'], '--input-tokens'],
      [
        ['--model', 'gpt-4o', '--input-tokens', '1', '--output-tokens', '1', '--at', 'yesterday'],
        '--at must be an ISO 8601 date',
      ],
      [['--model', 'gpt-4o', '--input-tokens', '1', '--output-tokens', '1', '--colour'], "Unknown option '--colour'"],
      [
        ['--model', 'gpt-4o', '--input-tokens', '10', '--output-tokens', '1', '--cache-read-tokens', '20'],
        'usage is inconsistent',
      ],
      [
        ['--model', 'gpt-4o', '--input-tokens', '1', '--output-tokens', '1', '--prices', join(dir, 'missing.yaml')],
        'missing.yaml: (root): file not found',
      ],
    ];
    for (const [args, message] of cases) {
      const run = costspan('price', ...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain(message);
    }
  });
});

describe('costspan prices list', () => {
  it('lists catalog models filtered by provider and search', () => {
    const run = costspan('prices', 'list', '--provider', 'gcp.gemini', '--search', 'gemini-2.5-pro');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/google\s+gemini-2\.5-pro\s+\$1\.25\s+\$0\.125\s+-\s+\$10\s+>200000: \$2\.5\/\$15/);
    expect(run.stdout).not.toContain('anthropic');
    const json = JSON.parse(
      costspan('prices', 'list', '--search', 'claude-sonnet-4-0', '--provider', 'anthropic', '--json').stdout,
    );
    expect(json[0]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-0',
      prices: { input: 3, cacheWrite1h: 6 },
    });
  });

  it('rejects an unknown provider with exit 2', () => {
    const run = costspan('prices', 'list', '--provider', 'nowhere');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown provider 'nowhere'");
  });
});

describe('costspan prices check', () => {
  it('exits 0 for a valid file', () => {
    const valid = file(
      'valid.yaml',
      'serviceTiers: { batch: 0.5 }\nmodels:\n  - match: { prefix: "ft:" }\n    prices: { input: 1, output: 2 }\n',
    );
    const run = costspan('prices', 'check', valid);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${valid}: valid (1 model entry, 1 service-tier multiplier; source overrides:valid.yaml#`,
    );
  });

  it('exits 2 with the file, the path inside it and the problem', () => {
    const invalid = file(
      'invalid.json',
      JSON.stringify({
        models: [
          { match: 'a', prices: { input: 1 } },
          { match: 'b', prices: { input: 1 } },
          { match: 'c', prices: { input: 1 } },
          { match: 'd', prices: { input: 'free' } },
        ],
      }),
    );
    const run = costspan('prices', 'check', invalid);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `${invalid}: models[3].prices.input: expected a non-negative number (USD per million tokens), got 'free'`,
    );
    expect(costspan('prices', 'check').code).toBe(2);
    expect(costspan('prices', 'check', join(dir, 'absent.yaml')).stderr).toContain('file not found');
  });
});

describe('costspan report | reconcile | compare', () => {
  it('compare prints the self-hosted cost per utilization and the break-even rate against the catalog', () => {
    const run = costspan(
      'compare',
      '--rate',
      '2.49',
      '--throughput',
      '12000',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '500',
      '--model',
      'gpt-4o-mini',
      '--format',
      'json',
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    // gpt-4o-mini: 1000 × $0.15/M + 500 × $0.60/M = $0.00045 per request; $2.49/h ÷ $0.00045 = 5,533.3 requests/h.
    expect(JSON.stringify(result)).toContain('0.00045');
    expect(run.stdout).toMatch(/5533\.3/);
  });

  it('report and reconcile explain a missing store without a stack trace', () => {
    const missing = join(dir, 'absent.duckdb');
    for (const args of [
      ['report', '--store', missing],
      ['reconcile', '--store', missing, '--invoice', missing],
    ]) {
      const run = costspan(...args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('absent');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('each reporting command has its own --help', () => {
    for (const command of ['report', 'reconcile', 'compare']) {
      const run = costspan(command, '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/--store|--rate/);
    }
  });
});

describe('costspan collector', () => {
  it('exits 2 naming the key for an invalid configuration', () => {
    const config = file('bad-collector.yaml', 'gpu:\n  nodes:\n    - id: a\n      hourlyRate: -1\n');
    const run = costspan('collector', '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hourlyRate');
  });

  it('has its own --help', () => {
    const run = costspan('collector', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--forward');
  });
});
