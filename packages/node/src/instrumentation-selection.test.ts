import { describe, expect, it } from 'vitest';
import { selectInstrumentations } from './instrumentation-selection.js';

describe('selectInstrumentations', () => {
  const run = (env: Record<string, string>) => {
    const lines: string[] = [];
    return { names: selectInstrumentations(env, (_k, m) => lines.push(m)), lines };
  };

  it('starts every instrumentation by default', () => {
    expect(run({}).names).toEqual(['http', 'openai', 'anthropic', 'google-genai']);
  });

  it('OTEL_NODE_ENABLED_INSTRUMENTATIONS keeps only those, OTEL_NODE_DISABLED_INSTRUMENTATIONS removes', () => {
    expect(run({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'openai, http' }).names).toEqual(['http', 'openai']);
    expect(run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,google-genai' }).names).toEqual(['openai', 'anthropic']);
    expect(
      run({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'openai,anthropic', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai' })
        .names,
    ).toEqual(['anthropic']);
  });

  it('warns about names it does not know', () => {
    const { names, lines } = run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'opeani' });
    expect(names).toHaveLength(4);
    expect(lines).toEqual([
      "OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'opeani' is not an instrumentation of @costspan/node (http, openai, anthropic, google-genai); ignored",
    ]);
  });
});
