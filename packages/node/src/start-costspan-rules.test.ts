import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, expect, it } from 'vitest';
import { setLineWriter } from './log.js';
import { startCostspan } from './start-costspan.js';

const lines: string[] = [];
const previousWriter = setLineWriter((line) => lines.push(line));
afterAll(() => {
  setLineWriter(previousWriter);
});

it('a bad rule file: one clear error per problem, the good rules apply and the app keeps running', async () => {
  const exporter = new InMemorySpanExporter();
  const handle = startCostspan({
    serviceName: 'rules',
    config: {
      costs: [
        {
          name: 'vector-search',
          component: 'retrieval',
          match: { 'db.system.name': 'pinecone' },
          price: { perCall: 0.00008 },
        },
        // as a config file may hold it: not a valid rule
        {
          name: 'broken',
          component: 'egress',
          match: { 'server.address': { regex: '(' } },
          price: { perUnit: -1 },
        } as never,
      ],
      resources: [{ id: 'pod', component: 'retrieval', match: { 'db.system.name': 'qdrant' } } as never],
    },
    spanExporters: [exporter],
    metricReaders: [],
  });
  expect(handle).toMatchObject({ state: 'running', costEnabled: true });
  expect(lines).toEqual([
    'costspan: error: startCostspan({ config }): costs[1].match.server.address.regex: not a valid regular expression (Invalid regular expression: /(/u: Unterminated group) (entry skipped)',
    'costspan: error: startCostspan({ config }): costs[1].price.perUnit: expected an amount >= 0 (a number or decimal text) (entry skipped)',
    'costspan: error: startCostspan({ config }): costs[1].price.attribute: expected the name of the attribute holding the unit count (entry skipped)',
    'costspan: error: startCostspan({ config }): resources[0].monthlyRate: expected monthlyRate or hourlyRate (an amount >= 0) (entry skipped)',
  ]);
  trace
    .getTracer('app')
    .startSpan('query', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'pinecone' } })
    .end();
  await handle.forceFlush();
  expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
    'costspan.cost.amount': 0.00008,
    'costspan.cost.rule': 'vector-search',
  });
  await handle.shutdown();
});
