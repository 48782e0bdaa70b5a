import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foreignNameLeaks } from './foreign-names.ts';
import { loadRegistry, RegistryError, type RegistrySources, readRegistrySources } from './registry.ts';
import { renderDialects, renderDialectsMarkdown, renderIndex } from './render.ts';

const MANIFEST = 'name: test\nsemconv_version: 1.0.0\n';
const ATTRS = `groups:
  - id: registry.demo
    type: attribute_group
    brief: Demo.
    attributes:
      - id: demo.cost
        type: double
        stability: development
        brief: A cost.
`;
const DIALECT = `groups:
  - id: dialect.demo
    type: dialect
    display_name: Demo SDK
    brief: A producer.
    reader: gen_ai
    producers: [demo-sdk]
    reads:
      - name: demo.usage.inputTokens
        field: input_tokens
        semantics: total
        type: int
        brief: All input.
      - name: demo.usage.promptTokens
        field: input_tokens
        semantics: total
        type: int
        deprecated_for: demo.usage.inputTokens
        brief: Old input.
      - name: demo.cost
        field: cost_total
        semantics: cost
        type: double
        brief: Declared as an attribute too.
`;

const sources = (dialect: string): RegistrySources =>
  new Map([
    ['conventions/manifest.yaml', MANIFEST],
    ['conventions/model/attrs.yaml', ATTRS],
    ['conventions/model/dialects.yaml', dialect],
  ]);

function problemsOf(dialect: string): string[] {
  try {
    loadRegistry(sources(dialect));
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return (err as RegistryError).problems;
  }
  throw new Error('expected the registry to be invalid');
}

describe('dialect groups (a costspan extension of the registry format)', () => {
  const reg = loadRegistry(sources(DIALECT));

  it('keeps camelCase names exactly and gives them an upper-snake constant; declared attributes reuse theirs', () => {
    const ts = renderDialects(reg);
    expect(ts).toContain('export const ATTR_DEMO_USAGE_INPUT_TOKENS = "demo.usage.inputTokens" as const;');
    expect(ts).toContain('export const ATTR_DEMO_USAGE_PROMPT_TOKENS = "demo.usage.promptTokens" as const;');
    expect(ts).not.toContain('export const ATTR_DEMO_COST ');
    expect(ts).toContain("import {\n  ATTR_DEMO_COST,\n} from './attributes.js';");
    expect(ts).toContain(
      '{ name: ATTR_DEMO_USAGE_PROMPT_TOKENS, dialect: "demo", reader: "gen_ai", field: "input_tokens", semantics: "total", type: "int", deprecatedFor: ATTR_DEMO_USAGE_INPUT_TOKENS, producers: ["demo-sdk"] },',
    );
    expect(renderIndex(reg)).toContain('  DIALECT_READS,');
  });

  it('documents every name with its field, semantics and replacement', () => {
    const md = renderDialectsMarkdown(reg);
    expect(md).toContain('## Demo SDK');
    expect(md).toContain(
      '| `demo.usage.promptTokens` | `input_tokens` | total | int | `demo.usage.inputTokens` | Old input. |',
    );
  });

  it('rejects unknown fields and semantics, names declared twice and dangling deprecated_for', () => {
    const bad = DIALECT.replace('field: cost_total', 'field: price')
      .replace('semantics: cost', 'semantics: money')
      .replace('deprecated_for: demo.usage.inputTokens', 'deprecated_for: demo.usage.nothing')
      .replace('- name: demo.usage.promptTokens', '- name: demo.usage.inputTokens');
    const p = problemsOf(bad);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/reads\[2\] \('demo\.cost'\): field must be one of/),
        expect.stringMatching(/reads\[2\] \('demo\.cost'\): semantics must be one of/),
        expect.stringMatching(/reads\[1\] \('demo\.usage\.inputTokens'\): name declared twice/),
      ]),
    );
  });

  it('rejects a dialect without reader, producers or reads', () => {
    const p = problemsOf('groups:\n  - id: dialect.empty\n    type: dialect\n    brief: Nothing.\n');
    expect(p).toEqual([
      expect.stringMatching(/reader must be one of/),
      expect.stringMatching(/producers must be a non-empty list/),
      expect.stringMatching(/needs a non-empty 'reads' list/),
    ]);
  });
});

describe('the foreign-name guard', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const reg = loadRegistry(readRegistrySources(join(root, 'conventions'), root));

  it('finds no foreign attribute name written as a literal in any package source', () => {
    expect(foreignNameLeaks(root, reg)).toEqual([]);
  });

  it('reports a table name or a foreign-looking usage name in code, not in comments or tests', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-leaks-'));
    mkdirSync(join(dir, 'packages/demo/src'), { recursive: true });
    writeFileSync(
      join(dir, 'packages/demo/src/read.ts'),
      [
        "// 'gen_ai.usage.input_tokens' in a comment is fine",
        "const a = attrs['gen_ai.usage.input_tokens'];",
        'const b = attrs["llm.token_count.prompt"];',
        "const c = attrs['ai.usage.newTokens'];",
        "const provider = 'openai.chat';",
      ].join('\n'),
    );
    writeFileSync(join(dir, 'packages/demo/src/read.test.ts'), "const t = 'gen_ai.usage.input_tokens';\n");
    expect(foreignNameLeaks(dir, reg)).toEqual([
      { file: 'packages/demo/src/read.ts', line: 2, name: 'gen_ai.usage.input_tokens' },
      { file: 'packages/demo/src/read.ts', line: 3, name: 'llm.token_count.prompt' },
      { file: 'packages/demo/src/read.ts', line: 4, name: 'ai.usage.newTokens' },
    ]);
  });

  it('the shipped table covers every producer the issue names', () => {
    const names = new Set(reg.dialects.flatMap((g) => g.reads.map((r) => r.name)));
    for (const n of [
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.audio.input_tokens',
      'gen_ai.usage.video.input_tokens',
      'gen_ai.usage.text.output_tokens',
      'gen_ai.usage.input_tokens.cached',
      'gen_ai.usage.input_tokens.cache_write',
      'gen_ai.usage.output_tokens.reasoning',
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens',
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens',
      'gen_ai.usage.cost',
      'llm.cost.total',
      'langfuse.observation.cost_details',
      'ai.usage.inputTokens',
      'llm.token_count.prompt',
      'gen_ai.latency.time_in_queue',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
  });
});
