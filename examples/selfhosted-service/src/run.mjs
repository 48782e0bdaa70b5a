// One command: a simulated vLLM node, a costspan collector with the GPU node config (costspan.yaml, with the port
// the node got), and this service started with `node --import @costspan/node/register src/server.mjs` (tokens
// priced in-process, GPU time allocated by the collector); 40 requests with feature and tenant in W3C baggage,
// then the report with the GPU node line.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { costspan, startCostspanCollector, startSimulator } from '@costspan/example-provider-simulator/harness';
import { jsonLine, ProcessGroup } from '@costspan/example-provider-simulator/processes';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const group = new ProcessGroup();
try {
  const vllm = await startSimulator(group, 'vllm', ['--latency-ms', '50']);
  const config = parse(await readFile(join(here, '../costspan.yaml'), 'utf8'));
  config.gpu.window = 5_000; // short windows so the run ends in seconds
  config.gpu.nodes[0].match['server.port'] = Number(new URL(vllm).port); // the port the simulator got
  delete config.receivers;
  delete config.exporters;
  delete config.service;
  const collector = await startCostspanCollector(group, config);
  const service = await group.start(
    'selfhosted-service',
    process.execPath,
    ['--import', '@costspan/node/register', 'src/server.mjs'],
    {
      cwd: join(here, '..'),
      env: {
        OTEL_SERVICE_NAME: 'selfhosted-service',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_METRICS_EXPORTER: 'none',
        VLLM_URL: vllm,
        PORT: '0',
      },
      ready: (l) => jsonLine(l)?.listening,
    },
  );
  console.log(`selfhosted-service on ${service} → vLLM node ${vllm}; collector ${collector.url}`);
  const tenants = ['acme', 'globex'];
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 25));
      const tenant = tenants[i % 2];
      const res = await fetch(`${service}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', baggage: `costspan.feature=assist,costspan.tenant=${tenant}` },
        body: JSON.stringify({ prompt: `request ${i}` }),
      });
      if (!res.ok) throw new Error(`request ${i}: HTTP ${res.status}`);
      await res.arrayBuffer();
    }),
  );
  console.log('40 requests answered');
  await group.stop('selfhosted-service');
  await group.stop('collector');
  console.log(await costspan(group, ['report', '--store', collector.store, '--by', 'feature,tenant,node']));
} finally {
  await group.stopAll();
}
