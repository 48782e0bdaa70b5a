import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prometheusBinary } from '@costspan/example-prometheus/prometheus';
import { describe, expect, it } from 'vitest';
import { repoRoot, runToEnd } from './run-process.ts';

/** The command in the README's ```sh block right after `<!-- costspan:run -->` (so the docs cannot drift). */
export function readmeCommand(markdown: string): string | undefined {
  const match = /<!-- costspan:run -->\s*```sh\n([^\n]+)\n```/.exec(markdown);
  return match?.[1]?.trim();
}

/** What each example's output must show. */
const EXPECT: Record<string, RegExp[]> = {
  'openai-service': [
    /POST \/summarize \(tenant acme\) → 200 claude-haiku-4-5/,
    /support-chat\s+acme\s+gpt-4o-mini-2024-07-18\s+1\b/,
    /POST \/rag \(tenant globex\) → 200 claude-haiku-4-5/,
    /TOTAL\s+6\b/,
    /Cost per request by component by feature, component \(a request = a trace\)/,
  ],
  'selfhosted-service': [
    /40 requests answered/,
    /assist\s+acme\s+vllm-gpu-a\s+20\b/,
    /TOTAL\s+40\b/,
    // nothing unpriced: tokens priced in-process, every request priced at its GPU share by the collector
    /assist\s+globex\s+vllm-gpu-a\s+20\s+[\d,]+\s+\$0\.\d+/,
  ],
  'ai-sdk-app': [
    /span ai\.generateText\.doGenerate: cost \$0\.0000\d+ \(priced, gpt-4o-mini\)/,
    /span ai\.generateText: not priced again \(wraps the model call\); subtree \$0\.0000\d+/,
  ],
  'otlp-python': [/-> 200/, /python-worker\s+report-writer\s+gpt-4o\s+1\s+\S+\s+\$0\.007000/],
  prometheus: [/cost by feature \(USD\):/, /support-chat\s+\$0\.\d+/, /queries\.promql: 4 queries ran/],
  'provider-simulator': [/"reasoning_tokens":100/, /"thoughtsTokenCount":\d+/, /vllm \{"prompt_tokens"/],
  utilization: [/4000\s+[\d.]+ %/],
};

const examples = (await readdir(join(repoRoot, 'examples'), { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("every example's README command runs as written", () => {
  it('each example has a README with a marked command and an expectation here', async () => {
    for (const name of examples) {
      const readme = await readFile(join(repoRoot, 'examples', name, 'README.md'), 'utf8');
      if (name === 'utilization') continue; // its README predates the marker; run below from its start script
      expect(readmeCommand(readme), `${name}/README.md needs a <!-- costspan:run --> sh block`).toBeDefined();
      expect(EXPECT[name], `expectations for ${name}`).toBeDefined();
    }
  });

  for (const name of examples) {
    const needsPrometheus = name === 'prometheus' && !prometheusBinary();
    it.skipIf(needsPrometheus)(`examples/${name}`, async () => {
      const readme = await readFile(join(repoRoot, 'examples', name, 'README.md'), 'utf8');
      const command = readmeCommand(readme) ?? `npm start -w @costspan/example-${name}`;
      const run = await runToEnd('sh', ['-c', command], { timeoutMs: 90_000 });
      const output = run.stdout + run.stderr;
      expect(run.code, output).toBe(0);
      for (const pattern of EXPECT[name] ?? []) expect(output).toMatch(pattern);
    });
  }
});
