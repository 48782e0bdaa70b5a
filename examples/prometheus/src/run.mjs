// One command: the provider simulator, the app (costspan metrics on a Prometheus endpoint), a real Prometheus
// (loopback, temporary config and data directory) scraping it with prometheus.yml's job, and the PromQL of
// queries.promql run through Prometheus's HTTP API.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@costspan/example-provider-simulator/harness';
import { jsonLine, ProcessGroup } from '@costspan/example-provider-simulator/processes';
import { freePort, query, queryUntil, startPrometheus } from './prometheus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const group = new ProcessGroup();
let prometheus;
try {
  const providers = await startSimulator(group, 'providers');
  const metricsPort = await freePort();
  const ready = await group.start('app', process.execPath, ['--import', './src/telemetry.mjs', 'src/app.mjs'], {
    cwd: join(here, '..'),
    env: { PROVIDER_URL: providers, METRICS_PORT: String(metricsPort), OTEL_TRACES_EXPORTER: 'none' },
    ready: (l) => jsonLine(l)?.metrics,
  });
  console.log(`app metrics on ${ready}`);
  // prometheus.yml as shipped, pointed at the app's port and scraping every second for this short run
  const config = (await readFile(join(here, '../prometheus.yml'), 'utf8'))
    .replace('127.0.0.1:9464', `127.0.0.1:${metricsPort}`)
    .replace('scrape_interval: 15s', 'scrape_interval: 1s');
  prometheus = await startPrometheus(config);
  console.log(`prometheus on ${prometheus.url}`);
  await queryUntil(prometheus.url, 'sum(gen_ai_client_operation_cost_count)', (r) => r[0]?.value === 5);
  const byFeature = await query(prometheus.url, 'sum by (costspan_feature) (gen_ai_client_operation_cost_sum)');
  console.log('cost by feature (USD):');
  for (const r of byFeature.sort((a, b) => b.value - a.value)) {
    console.log(`  ${r.metric.costspan_feature.padEnd(14)} $${r.value.toFixed(6)}`);
  }
  const perRequest = await query(
    prometheus.url,
    'sum(gen_ai_client_operation_cost_sum) / sum(gen_ai_client_operation_cost_count)',
  );
  console.log(`cost per request (USD): $${perRequest[0].value.toFixed(6)}`);
  const promql = (await readFile(join(here, '../queries.promql'), 'utf8'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  for (const q of promql) await query(prometheus.url, q); // every shipped query parses and runs
  console.log(`queries.promql: ${promql.length} queries ran`);
} finally {
  await prometheus?.stop();
  await group.stopAll();
}
