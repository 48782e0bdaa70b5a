import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_COSTSPAN_FEATURE,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_LLM_COST_TOTAL,
  METRIC_GEN_AI_CLIENT_OPERATION_COST,
} from '@costspan/semconv';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedChatCost } from './support/expected-cost.js';
import { type FakeOpenAI, startFakeOpenAI } from './support/fake-openai.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.js';
import { fixture, runNode } from './support/run-node.js';

const dir = mkdtempSync(join(tmpdir(), 'costspan-node-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

let provider: FakeOpenAI;
let receiver: OtlpReceiver;
let baseline: string;
beforeAll(async () => {
  provider = await startFakeOpenAI();
  receiver = await startOtlpReceiver();
  // The app's own output, run without costspan: every run under costspan must print the same.
  baseline = (await runNode([fixture('chat-app.mjs')], { OPENAI_BASE_URL: provider.baseURL })).stdout;
});
afterAll(async () => {
  await provider.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.spans.length = 0;
  receiver.metrics.length = 0;
  receiver.requests.length = 0;
});

const otlpEnv = () => ({
  OPENAI_BASE_URL: provider.baseURL,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
});
const chatSpans = (): ReceivedSpan[] =>
  receiver.spans.filter((s) => s.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'chat');

describe('node --import @costspan/node/register (ESM app)', () => {
  it('exports the chat span with its cost and the cost and token metrics', async () => {
    const config = file('esm.yaml', 'attribution:\n  featureKeys: [app.feature]\ncompat: [openinference]\n');
    const run = await runNode(['--import', '@costspan/node/register', fixture('chat-app.mjs')], {
      ...otlpEnv(),
      OTEL_SERVICE_NAME: 'support-bot',
      OTEL_RESOURCE_ATTRIBUTES: 'app.feature=order-status,deployment.environment.name=test',
      COSTSPAN_CONFIG: config,
    });
    expect(run).toMatchObject({ code: 0, stdout: baseline, stderr: '' });

    const cost = expectedChatCost();
    const [chat, ...more] = chatSpans();
    expect(more).toEqual([]);
    expect(chat?.resource[ATTR_SERVICE_NAME]).toBe('support-bot');
    expect(chat?.attributes).toMatchObject({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 2006,
      [ATTR_GEN_AI_USAGE_COST_AMOUNT]: cost,
      [ATTR_LLM_COST_TOTAL]: cost,
      [ATTR_COSTSPAN_FEATURE]: 'order-status',
    });

    const costMetric = receiver.metrics.find((m) => m.name === METRIC_GEN_AI_CLIENT_OPERATION_COST);
    expect(costMetric?.points).toHaveLength(1);
    const histogram = costMetric?.points[0]?.value as { count: number; sum: number } | undefined;
    expect(histogram?.count).toBe(1);
    expect(histogram?.sum).toBeCloseTo(cost, 12);
    expect(receiver.metrics.some((m) => m.name === METRIC_GEN_AI_CLIENT_TOKEN_USAGE)).toBe(true);
  });

  it('the flush when the event loop runs dry keeps the exit code the app set', async () => {
    const run = await runNode(['--import', '@costspan/node/register', fixture('chat-app.mjs')], {
      ...otlpEnv(),
      EXIT_CODE: '3',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    expect(run).toMatchObject({ code: 3, signal: null, stdout: baseline, stderr: '' });
    expect(chatSpans()[0]?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expectedChatCost());
  });

  it('OTEL_SDK_DISABLED=true: nothing is exported and the app behaves as without costspan', async () => {
    const run = await runNode(['--import', '@costspan/node/register', fixture('chat-app.mjs')], {
      ...otlpEnv(),
      OTEL_SDK_DISABLED: 'true',
    });
    expect(run).toMatchObject({ code: 0, stdout: baseline, stderr: '' });
    expect(receiver.requests).toEqual([]);
  });

  it('a broken COSTSPAN_CONFIG: one error line naming file and key, same output, exit 0, spans without cost', async () => {
    const config = file('broken.yaml', 'gpu:\n  nodes:\n    - id: gpu-a\n      hourlyRate: free\n');
    const run = await runNode(['--import', '@costspan/node/register', fixture('chat-app.mjs')], {
      ...otlpEnv(),
      COSTSPAN_CONFIG: config,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(baseline);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^costspan: error: /);
    expect(lines[0]).toContain(`${config}: gpu.nodes[0].hourlyRate: must be a positive number`);
    expect(lines[0]).toContain('cost is off');

    const [chat] = chatSpans();
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]).toBe(2006);
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeUndefined();
  });
});

describe('node --require @costspan/node/register (CommonJS app)', () => {
  it('prices with COSTSPAN_PRICES, sends OTEL_EXPORTER_OTLP_HEADERS, honours OTEL_NODE_DISABLED_INSTRUMENTATIONS', async () => {
    const prices = file(
      'prices.yaml',
      'models:\n  - match: { prefix: gpt-4o-mini }\n    provider: openai\n    prices: { input: 0.1, cacheRead: 0.02, output: 0.3 }\n',
    );
    const run = await runNode(['--require', '@costspan/node/register', fixture('chat-app.cjs')], {
      ...otlpEnv(),
      COSTSPAN_PRICES: prices,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k%20123',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http',
    });
    expect(run).toMatchObject({ code: 0, stdout: baseline, stderr: '' });

    const cost = expectedChatCost(prices);
    expect(cost).not.toBe(expectedChatCost());
    const [chat, ...more] = chatSpans();
    expect(more).toEqual([]);
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(cost);
    expect(receiver.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-http')).toEqual([]);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
    expect(receiver.requests.every((r) => r.headers['x-api-key'] === 'k 123')).toBe(true);
    expect(receiver.metrics.some((m) => m.name === METRIC_GEN_AI_CLIENT_OPERATION_COST)).toBe(true);
  });
});

describe('node --require where require(esm) is unavailable', () => {
  it('one error line saying to use --import; the app runs unchanged without telemetry', async () => {
    const run = await runNode(
      ['--no-experimental-require-module', '--require', '@costspan/node/register', fixture('chat-app.cjs')],
      otlpEnv(),
    );
    expect(run).toMatchObject({ code: 0, stdout: baseline });
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^costspan: error: could not load @costspan\/node with --require .* use --import/);
    expect(receiver.requests).toEqual([]);
  });
});

describe('programmatic setup (startCostspan in a file loaded with --import)', () => {
  it('registerLoaderHook patches the ESM import; the config given in code prices the span', async () => {
    const config = {
      prices: {
        models: [
          { match: { prefix: 'gpt-4o-mini' }, provider: 'openai', prices: { input: 1, cacheRead: 0.5, output: 2 } },
        ],
      },
    };
    const run = await runNode(['--import', fixture('telemetry.mjs'), fixture('chat-app.mjs')], {
      ...otlpEnv(),
      TEST_COSTSPAN_CONFIG: JSON.stringify(config),
    });
    expect(run).toMatchObject({ code: 0, stdout: baseline, stderr: '' });
    const [chat] = chatSpans();
    expect(chat?.resource[ATTR_SERVICE_NAME]).toBe('programmatic');
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expectedChatCost(config.prices));
  });
});
