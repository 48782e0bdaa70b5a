import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageCachedWithWebSearch } from '../../src/test-support/anthropic-fixtures.js';
import { type FakeProvider, startFakeProvider } from '../../src/test-support/fake-provider.js';
import { generateContentThinkingCached } from '../../src/test-support/google-fixtures.js';
import { chatCompletionCachedReasoning } from '../../src/test-support/openai-fixtures.js';

const run = promisify(execFile);
let provider: FakeProvider;
beforeAll(async () => {
  provider = await startFakeProvider();
  provider.route('/chat/completions', { json: chatCompletionCachedReasoning });
  provider.route('/v1/messages', { json: messageCachedWithWebSearch });
  provider.route(':generateContent', { json: generateContentThinkingCached });
});
afterAll(() => provider.close());

it('patches ESM imports of openai, @anthropic-ai/sdk and @google/genai under the import-in-the-middle loader', async () => {
  const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', here('register.mjs'), here('app.mjs')], {
    env: { ...process.env, BASE_URL: provider.url },
  });
  const spans = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; attributes: Record<string, unknown> });
  const byProvider = Object.fromEntries(spans.map((s) => [s.attributes[ATTR_GEN_AI_PROVIDER_NAME], s]));
  expect(Object.keys(byProvider).sort()).toEqual(['anthropic', 'gcp.gemini', 'openai']);
  expect(byProvider.openai?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(2006);
  expect(byProvider.anthropic?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(10120);
  expect(byProvider['gcp.gemini']?.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]).toBe(595);
});
