// One command: the provider simulator, a costspan collector (store), and this service started with
//   node --import @costspan/node/register src/server.mjs
// a few requests by feature and tenant (one of them RAG: vector search, rerank, model), then the cost report from
// the collector's store and the split of each request by component.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RETRIEVAL_COSTS, RETRIEVAL_RESOURCES } from '@costspan/example-provider-simulator';
import { costspan, startCostspanCollector, startSimulator } from '@costspan/example-provider-simulator/harness';
import { jsonLine, ProcessGroup } from '@costspan/example-provider-simulator/processes';

const here = dirname(fileURLToPath(import.meta.url));
const group = new ProcessGroup();
try {
  const providers = await startSimulator(group, 'providers');
  // The RAG feature's vector search and rerank are priced by cost rules beside the model calls.
  const collector = await startCostspanCollector(group, { costs: RETRIEVAL_COSTS, resources: RETRIEVAL_RESOURCES });
  const service = await group.start(
    'openai-service',
    process.execPath,
    ['--import', '@costspan/node/register', join(here, 'server.mjs')],
    {
      cwd: join(here, '..'),
      env: {
        OTEL_SERVICE_NAME: 'openai-service',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_METRICS_EXPORTER: 'none',
        PROVIDER_URL: providers,
        PORT: '0',
      },
      ready: (l) => jsonLine(l)?.listening,
    },
  );
  console.log(`openai-service on ${service}, provider simulator on ${providers}, collector on ${collector.url}`);
  for (const [feature, tenant] of [
    ['support-chat', 'acme'],
    ['support-chat', 'globex'],
    ['summarize', 'acme'],
    ['search', 'globex'],
    ['plan-trip', 'acme'],
    ['rag', 'globex'],
  ]) {
    const res = await fetch(`${service}/${feature}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': tenant },
      body: JSON.stringify({ input: `a ${feature} question` }),
    });
    const body = /** @type {{ model?: string }} */ (await res.json());
    console.log(`POST /${feature} (tenant ${tenant}) → ${res.status} ${body.model}`);
  }
  await group.stop('openai-service'); // flushes its spans
  await group.stop('collector'); // closes the store
  console.log(await costspan(group, ['report', '--store', collector.store, '--by', 'feature,tenant,model']));
  // What each request paid for: model tokens, GPU time, retrieval, rerank, overhead.
  console.log(await costspan(group, ['report', '--store', collector.store, '--by', 'feature,component']));
} finally {
  await group.stopAll();
}
