import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_STATE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  COSTSPAN_GPU_STATE_VALUE_BUSY,
  COSTSPAN_PRICING_STATUS_VALUE_PRICED,
  METRIC_COSTSPAN_GPU_NODE_COST,
} from '@costspan/semconv';
import { ATTR_GEN_AI_OPERATION_NAME, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './support/fake-openai.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { fixture, runNode } from './support/run-node.js';

const MODEL = 'llama-3.1-8b-instruct';
let vllm: FakeOpenAI;
let receiver: OtlpReceiver;
beforeAll(async () => {
  vllm = await startFakeOpenAI(MODEL);
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await vllm.close();
  await receiver.close();
});

it('self-hosted: an openai client pointed at a local "vLLM" gets $0 tokens plus the GPU node time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-self-hosted-'));
  const config = join(dir, 'costspan.yaml');
  writeFileSync(
    config,
    `prices:
  models:
    - match: ${MODEL}
      prices: { input: 0, output: 0 }
gpu:
  nodes:
    - id: vllm-a
      hourlyRate: 3600
      match: { server.address: 127.0.0.1, server.port: ${vllm.port} }
`,
  );
  const run = await runNode(['--import', '@costspan/node/register', fixture('chat-app.mjs')], {
    OPENAI_BASE_URL: vllm.baseURL,
    MODEL,
    COSTSPAN_CONFIG: config,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  expect(run).toMatchObject({ code: 0, stdout: 'answer: Your order ships tomorrow.\n', stderr: '' });

  const chat = receiver.spans.find((s) => s.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'chat');
  expect(chat?.attributes[ATTR_SERVER_PORT]).toBe(vllm.port);
  expect(chat?.attributes[ATTR_COSTSPAN_GPU_NODE]).toBe('vllm-a');
  expect(chat?.attributes[ATTR_COSTSPAN_PRICING_STATUS]).toBe(COSTSPAN_PRICING_STATUS_VALUE_PRICED);
  const gpu = chat?.attributes[ATTR_COSTSPAN_COST_GPU] as number;
  expect(gpu).toBeGreaterThan(0);
  expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeCloseTo(gpu, 12);

  // The tokens were priced (at $0 by the override), not left unpriced.
  expect(chat?.attributes[ATTR_COSTSPAN_COST_INPUT]).toBe(0);

  // The node's busy time is the request's GPU cost.
  const nodeCost = receiver.metrics.find((m) => m.name === METRIC_COSTSPAN_GPU_NODE_COST);
  const busy = nodeCost?.points.find((p) => p.attributes[ATTR_COSTSPAN_GPU_STATE] === COSTSPAN_GPU_STATE_VALUE_BUSY);
  expect(busy?.attributes[ATTR_COSTSPAN_GPU_NODE]).toBe('vllm-a');
  expect(busy?.value).toBeCloseTo(gpu, 12);
});
