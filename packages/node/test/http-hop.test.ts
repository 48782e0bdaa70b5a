import { ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT, ATTR_GEN_AI_USAGE_COST_AMOUNT } from '@costspan/semconv';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_GEN_AI_OPERATION_NAME } from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedChatCost } from './support/expected-cost.js';
import { type FakeOpenAI, startFakeOpenAI } from './support/fake-openai.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { fixture, runNode, startNode } from './support/run-node.js';

let provider: FakeOpenAI;
let receiver: OtlpReceiver;
beforeAll(async () => {
  provider = await startFakeOpenAI();
  receiver = await startOtlpReceiver();
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

const otlpEnv = (service: string) => ({
  OPENAI_BASE_URL: provider.baseURL,
  OTEL_SERVICE_NAME: service,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  // Nothing leaves on a timer: what arrives was flushed at exit or on the signal.
  OTEL_BSP_SCHEDULE_DELAY: '600000',
  OTEL_METRIC_EXPORT_INTERVAL: '600000',
});
const fromService = (name: string) => receiver.spans.filter((s) => s.resource[ATTR_SERVICE_NAME] === name);

/** Starts the inference service (CommonJS, --require), sends one request through the gateway (ESM, --import). */
async function oneRequestThroughTwoServices(serviceEnv: Record<string, string> = {}) {
  const service = startNode(['--require', '@costspan/node/register', fixture('inference-service.cjs')], {
    ...otlpEnv('inference'),
    ...serviceEnv,
  });
  const port = (await service.line(/^listening \d+$/)).split(' ')[1];
  const gateway = await runNode(['--import', '@costspan/node/register', fixture('gateway.mjs')], {
    ...otlpEnv('gateway'),
    INFERENCE_URL: `http://127.0.0.1:${port}/answer`,
  });
  expect(gateway).toMatchObject({ code: 0, stdout: 'gateway got: Your order ships tomorrow.\n', stderr: '' });
  await service.line(/^served one request$/);
  return service;
}

describe('two services, one HTTP hop', () => {
  it('baggage feature/tenant crosses the hop onto the inference span; SIGTERM flushes and the process dies by it', async () => {
    const service = await oneRequestThroughTwoServices();
    // The gateway flushed on exit; the inference service holds its spans until something flushes them.
    expect(fromService('gateway').length).toBeGreaterThan(0);
    expect(fromService('inference')).toEqual([]);

    service.child.kill('SIGTERM');
    const ended = await service.finished;
    expect(ended).toMatchObject({ code: null, signal: 'SIGTERM', stderr: '' });

    const gatewayClient = fromService('gateway').find((s) => s.scope === '@opentelemetry/instrumentation-http');
    const chat = fromService('inference').find((s) => s.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'chat');
    expect(chat?.traceId).toBe(gatewayClient?.traceId);
    expect(chat?.attributes).toMatchObject({
      [ATTR_COSTSPAN_FEATURE]: 'order-status',
      [ATTR_COSTSPAN_TENANT]: 'acme',
      [ATTR_GEN_AI_USAGE_COST_AMOUNT]: expectedChatCost(),
    });
    expect(receiver.requests.filter((r) => r.path === '/v1/metrics').length).toBe(2);
  });

  it('SIGINT (Ctrl-C) with no handler in the app: flushed, then the process dies by SIGINT', async () => {
    const service = startNode(['--require', '@costspan/node/register', fixture('inference-service.cjs')], {
      ...otlpEnv('inference'),
    });
    const port = (await service.line(/^listening \d+$/)).split(' ')[1];
    const answer = await fetch(`http://127.0.0.1:${port}/answer`, { method: 'POST' });
    expect(await answer.text()).toBe('Your order ships tomorrow.');
    await service.line(/^served one request$/);
    service.child.kill('SIGINT');
    expect(await service.finished).toMatchObject({ code: null, signal: 'SIGINT', stderr: '' });
    const chat = fromService('inference').find((s) => s.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'chat');
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expectedChatCost());
  });

  it('an app with its own SIGTERM handler decides how it ends: flushed, not killed', async () => {
    const service = await oneRequestThroughTwoServices({ OWN_SIGTERM: '1' });
    service.child.kill('SIGTERM');
    const ended = await service.finished;
    expect(ended).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(ended.stdout).toContain('app: SIGTERM, draining\n');
    const chat = fromService('inference').find((s) => s.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'chat');
    expect(chat?.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBe(expectedChatCost());
    expect(chat?.attributes[ATTR_COSTSPAN_TENANT]).toBe('acme');
  });
});
