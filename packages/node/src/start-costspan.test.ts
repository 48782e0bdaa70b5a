import { ATTR_COSTSPAN_TENANT, ATTR_GEN_AI_USAGE_COST_AMOUNT } from '@costspan/semconv';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, expect, it } from 'vitest';
import { setLineWriter } from './log.js';
import { getCostspan, startCostspan } from './start-costspan.js';

const lines: string[] = [];
const previousWriter = setLineWriter((line) => lines.push(line));
afterAll(() => {
  setLineWriter(previousWriter);
});

it('starts once: prices spans from the config given in code for every exporter, a second start returns the same handle with a warning', async () => {
  const listenersBefore = process.listenerCount('SIGTERM');
  const exporter = new InMemorySpanExporter();
  const second = new InMemorySpanExporter();
  const handle = startCostspan({
    serviceName: 'in-process',
    config: {
      prices: { models: [{ match: 'house-model', provider: 'openai', prices: { input: 2, output: 8 } }] },
      attribution: { tenantKeys: ['customer'] },
    },
    spanExporters: [exporter, second],
    metricReaders: [],
  });
  expect(handle).toMatchObject({ state: 'running', costEnabled: true });
  expect(getCostspan()).toBe(handle);
  expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);

  trace
    .getTracer('app')
    .startSpan('chat house-model', {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
        [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
        [ATTR_GEN_AI_REQUEST_MODEL]: 'house-model',
        [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000,
        [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 500,
        customer: 'acme',
      },
    })
    .end();
  await handle.forceFlush();
  const [span] = exporter.getFinishedSpans();
  expect(span?.resource.attributes['service.name']).toBe('in-process');
  expect(span?.attributes).toMatchObject({ [ATTR_GEN_AI_USAGE_COST_AMOUNT]: 0.006, [ATTR_COSTSPAN_TENANT]: 'acme' });
  expect(second.getFinishedSpans().map((s) => s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT])).toEqual([0.006]);

  expect(startCostspan({ serviceName: 'other' })).toBe(handle);
  expect(startCostspan()).toBe(handle);
  expect(lines).toEqual([
    'costspan: warning: startCostspan() was already called (by @costspan/node/register or earlier code); using that instance, the new options are ignored',
  ]);

  await handle.shutdown();
  expect(handle.state).toBe('shut down');
  expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  await expect(handle.forceFlush()).resolves.toBeUndefined();
  await expect(handle.shutdown()).resolves.toBeUndefined();
});
