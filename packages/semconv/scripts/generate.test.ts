import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll, run } from './generate.ts';
import { loadRegistry, RegistryError, type RegistrySources, readRegistrySources } from './registry.ts';
import { renderAttributes, renderIndex, renderMetrics } from './render.ts';

const MANIFEST = `name: test
semconv_version: 1.2.3
imports:
  attributes: [gen_ai.provider.name]
`;

const VALID = `groups:
  - id: registry.demo
    type: attribute_group
    brief: Demo attributes.
    attributes:
      - id: demo.cost.amount
        type: double
        stability: development
        brief: The amount.
        examples: [0.5]
      - id: demo.status
        type:
          members:
            - id: ok
              value: ok
              brief: It worked.
            - id: not_ok
              value: not-ok
              brief: It did not.
        stability: stable
        brief: The outcome.
  - id: metric.demo.cost
    type: metric
    metric_name: demo.cost
    instrument: histogram
    unit: "{USD}"
    stability: development
    brief: Cost per thing.
    attributes:
      - ref: demo.status
      - ref: gen_ai.provider.name
`;

const sources = (model: string, extra: Record<string, string> = {}): RegistrySources =>
  new Map([['conventions/manifest.yaml', MANIFEST], ['conventions/model/demo.yaml', model], ...Object.entries(extra)]);

function problemsOf(model: string, extra: Record<string, string> = {}): string[] {
  try {
    loadRegistry(sources(model, extra));
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return (err as RegistryError).problems;
  }
  throw new Error('expected the registry to be invalid');
}

describe('valid registry → expected constants', () => {
  const reg = loadRegistry(sources(VALID));

  it('names attribute constants like OpenTelemetry does, with the brief as doc comment', () => {
    const ts = renderAttributes(reg);
    expect(ts).toContain('export const ATTR_DEMO_COST_AMOUNT = "demo.cost.amount" as const;');
    expect(ts).toContain(' * The amount.');
    expect(ts).toContain(' * @example 0.5');
    expect(ts).toContain(' * @experimental');
  });

  it('emits one constant per enum member and a union type of the values', () => {
    const ts = renderAttributes(reg);
    expect(ts).toContain('export const DEMO_STATUS_VALUE_OK = "ok" as const;');
    expect(ts).toContain('export const DEMO_STATUS_VALUE_NOT_OK = "not-ok" as const;');
    expect(ts).toContain('export type DemoStatusValues = "ok" | "not-ok";');
  });

  it('emits metric names and units', () => {
    const ts = renderMetrics(reg);
    expect(ts).toContain('export const METRIC_DEMO_COST = "demo.cost" as const;');
    expect(ts).toContain('export const METRIC_DEMO_COST_UNIT = "{USD}" as const;');
    expect(ts).toContain('Instrument: `histogram`');
  });

  it('re-exports every constant by name from the index (no export *)', () => {
    const ts = renderIndex(reg);
    expect(ts).not.toContain('export *');
    for (const n of ['ATTR_DEMO_COST_AMOUNT', 'DEMO_STATUS_VALUE_OK', 'METRIC_DEMO_COST', 'DemoStatusValues']) {
      expect(ts).toContain(`  ${n},`);
    }
  });
});

describe('invalid registries name the file and group', () => {
  it('unknown type', () => {
    const p = problemsOf(VALID.replace('type: double', 'type: float'));
    expect(p).toEqual([
      expect.stringMatching(/conventions\/model\/demo\.yaml: group 'registry\.demo'.*unknown type 'float'/),
    ]);
  });

  it('duplicate attribute id across files', () => {
    const other = `groups:
  - id: registry.other
    type: attribute_group
    brief: Other.
    attributes:
      - id: demo.cost.amount
        type: string
        stability: development
        brief: Again.
`;
    const p = problemsOf(VALID, { 'conventions/model/other.yaml': other });
    expect(p).toEqual([
      expect.stringMatching(
        /conventions\/model\/other\.yaml: group 'registry\.other'.*duplicate attribute id 'demo\.cost\.amount' \(first declared in conventions\/model\/demo\.yaml/,
      ),
    ]);
  });

  it('duplicate group id', () => {
    const p = problemsOf(VALID, {
      'conventions/model/z.yaml': VALID.split('  - id: metric.demo.cost')[0]!.replace(
        /demo\.(cost\.amount|status)/g,
        'z.$1',
      ),
    });
    expect(p).toEqual([
      expect.stringMatching(/conventions\/model\/z\.yaml: group 'registry\.demo': duplicate group id/),
    ]);
  });

  it('missing brief', () => {
    const p = problemsOf(VALID.replace('        brief: The amount.\n', ''));
    expect(p).toEqual([
      expect.stringMatching(/demo\.yaml: group 'registry\.demo'.*'demo\.cost\.amount'.*missing brief/),
    ]);
  });

  it('missing group brief', () => {
    const p = problemsOf(VALID.replace('    brief: Demo attributes.\n', ''));
    expect(p).toEqual([expect.stringMatching(/demo\.yaml: group 'registry\.demo': missing brief/)]);
  });

  it('enum without members', () => {
    const bad = VALID.replace(/type:\n {10}members:[\s\S]*?brief: It did not\.\n/, 'type:\n          members: []\n');
    const p = problemsOf(bad);
    expect(p).toContainEqual(
      expect.stringMatching(/demo\.yaml: group 'registry\.demo'.*'demo\.status'.*enum without members/),
    );
  });

  it('unknown metric instrument and unresolved reference', () => {
    const p = problemsOf(
      VALID.replace('instrument: histogram', 'instrument: meter').replace('ref: demo.status', 'ref: demo.nope'),
    );
    expect(p).toContainEqual(
      expect.stringMatching(/demo\.yaml: group 'metric\.demo\.cost': instrument must be one of/),
    );
  });

  it('reference to an undeclared attribute', () => {
    const p = problemsOf(VALID.replace('ref: demo.status', 'ref: demo.nope'));
    expect(p).toEqual([
      expect.stringMatching(/demo\.yaml: group 'metric\.demo\.cost': reference to unknown attribute 'demo\.nope'/),
    ]);
  });

  it('a constant that would collide with an imported attribute of another spelling', () => {
    const model = VALID.replace('demo.cost.amount', 'gen_ai.provider_name');
    const p = problemsOf(model);
    expect(p).toEqual([
      expect.stringMatching(
        /demo\.yaml: group 'registry\.demo': constant ATTR_GEN_AI_PROVIDER_NAME of 'gen_ai\.provider_name' would collide with imported attribute 'gen_ai\.provider\.name'; set constant_name/,
      ),
    ]);
    const fixed = loadRegistry(
      sources(
        model.replace(
          '      - id: gen_ai.provider_name\n',
          '      - id: gen_ai.provider_name\n        constant_name: ATTR_LEGACY_GEN_AI_PROVIDER_NAME\n',
        ),
      ),
    );
    expect(renderAttributes(fixed)).toContain(
      'export const ATTR_LEGACY_GEN_AI_PROVIDER_NAME = "gen_ai.provider_name" as const;',
    );
  });

  it('YAML that does not parse', () => {
    const p = problemsOf('groups: [\n  - id: x');
    expect(p).toEqual([expect.stringMatching(/conventions\/model\/demo\.yaml: not valid YAML/)]);
  });
});

describe('the check over the real repository', () => {
  const repoRoot = resolve(import.meta.dirname, '../../..');

  function copyRepo(): string {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-conventions-'));
    cpSync(join(repoRoot, 'conventions'), join(dir, 'conventions'), { recursive: true });
    cpSync(join(repoRoot, 'packages/semconv/src'), join(dir, 'packages/semconv/src'), { recursive: true });
    return dir;
  }

  it('passes on the committed files', () => {
    const logs: string[] = [];
    expect(run(repoRoot, true, (s) => logs.push(s))).toBe(0);
    expect(logs.join('\n')).toMatch(/conventions ok/);
  });

  it('fails naming the file when a generated constant is edited by hand', () => {
    const dir = copyRepo();
    const f = join(dir, 'packages/semconv/src/attributes.ts');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"gen_ai.usage.cost.amount"', '"gen_ai.usage.cost.amt"'));
    const logs: string[] = [];
    expect(run(dir, true, (s) => logs.push(s))).toBe(1);
    expect(logs.join('\n')).toContain('packages/semconv/src/attributes.ts');
  });

  it('fails naming the generated files when a YAML brief changes without regenerating', () => {
    const dir = copyRepo();
    const f = join(dir, 'conventions/model/cost.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('ISO 4217 currency code', 'Currency code'));
    const logs: string[] = [];
    expect(run(dir, true, (s) => logs.push(s))).toBe(1);
    expect(logs.join('\n')).toMatch(/attributes\.ts[\s\S]*attributes\.md/);
  });

  it('fails naming the YAML file and group when the registry is invalid', () => {
    const dir = copyRepo();
    const f = join(dir, 'conventions/model/cost.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('type: double', 'type: decimal'));
    const logs: string[] = [];
    expect(run(dir, true, (s) => logs.push(s))).toBe(1);
    expect(logs.join('\n')).toMatch(
      /conventions\/model\/cost\.yaml: group 'registry\.gen_ai\.usage\.cost'.*unknown type 'decimal'/,
    );
  });

  it('generates every file from the real registry without duplicates', () => {
    const files = renderAll(loadRegistry(readRegistrySources(join(repoRoot, 'conventions'), repoRoot)));
    const index = files.find((f) => f.path.endsWith('src/index.ts'))!.content;
    const names = index.split('\n').filter((l) => /^ {2}[A-Za-z_]+,$/.test(l));
    expect(new Set(names).size).toBe(names.length);
  });
});
