// Runs one producer's scenarios in this process (node src/child.mjs <producer>); see harness.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { anthropicClient, drive, openaiClient } from './drive.mjs';
import { anthropicTracing, startHarness } from './harness.mjs';
import { PRODUCERS } from './producers.mjs';

const id = process.argv[2];
const producer = PRODUCERS[id];
if (producer === undefined) throw new Error(`unknown producer '${id}'`);
const require = createRequire(import.meta.url);
const h = await startHarness();
anthropicTracing(producer.anthropicTracing === true);
const mods = await producer.setup(h);
for (const scenario of producer.scenarios) {
  await h.scenario(scenario, async () => {
    if (scenario.startsWith('openai.')) return drive[scenario](openaiClient(mods.OpenAI, h.url));
    if (scenario.startsWith('anthropic.')) return drive[scenario](anthropicClient(mods.Anthropic, h.url));
    const { createOpenAI } = await import('@ai-sdk/openai');
    const ai = await import('ai');
    const model = createOpenAI({ apiKey: 'sk-conformance', baseURL: `${h.url}/v1` }).chat(
      scenario === 'ai.generateText' ? 'o4-mini' : 'gpt-4.1-mini',
    );
    const telemetry = { isEnabled: true };
    if (scenario === 'ai.generateText')
      return ai.generateText({ model, prompt: 'Capital of France?', experimental_telemetry: telemetry });
    const result = ai.streamText({ model, prompt: 'Say hello.', experimental_telemetry: telemetry });
    for await (const _part of result.textStream) {
      // read to the end
    }
  });
}
await h.finish({
  producer: id,
  package: producer.package,
  version: installedVersion(producer.package),
  node: process.version,
});

/** The installed version of a package, whether or not its `exports` map lists package.json. */
function installedVersion(name) {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
