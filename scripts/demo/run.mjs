// npm run demo: providers, a self-hosted GPU node, the costspan collector and two services as child processes,
// real traffic, then cost per request, GPU utilization, invoice reconciliation and an HTML report from the store.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RETRIEVAL_COSTS, RETRIEVAL_RESOURCES } from '@costspan/example-provider-simulator';
import { jsonLine, ProcessGroup, waitForHttp } from '@costspan/example-provider-simulator/processes';
import { DEMO_BUDGET, printBudget, readBudget, readDecisionTables } from './decisions.mjs';
import { createProgress } from './progress.mjs';
import {
  printComponentTable,
  printCostTable,
  printReconciliation,
  printUtilization,
  readComponentSplit,
  readCostReport,
  readUtilization,
  reconcileInvoice,
  splitSummary,
  writeHtmlReport,
} from './reports.mjs';
import {
  ASSIST_TENANTS,
  COMPRESSION,
  LEVELS_PER_HOUR,
  NODE_HOURLY_RATE,
  NODE_ID,
  PHASE_MS,
  PROVIDER_TRAFFIC,
  phaseRequests,
  QUIET_TAIL_MS,
  VLLM_LATENCY_MS,
  VLLM_MODEL,
  WINDOW_MS,
} from './settings.mjs';
import { arrivals, pool, postJson, sendAt } from './traffic.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The store and the inputs the README's report commands read (`--store costspan-demo/costspan.duckdb`…) stay in
// ./costspan-demo/ of the repository (git-ignored), so those commands run as printed after the demo.
const outDir = resolve(process.env.COSTSPAN_DEMO_DIR ?? join(root, 'costspan-demo'));
const storePath = join(outDir, 'costspan.duckdb');
const node = process.execPath;
const progress = createProgress();
const group = new ProcessGroup();
const out = (text = '') => process.stdout.write(`${text}\n`);

async function main() {
  const t0 = Date.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  progress.phase('starting the provider simulator and the self-hosted vLLM node');
  const sim = join(root, 'examples/provider-simulator/src/main.mjs');
  const [providers, vllm] = await Promise.all([
    group.start('providers', node, [sim, 'providers'], { ready: (l) => jsonLine(l)?.providers }),
    group.start('vllm', node, [sim, 'vllm', '--latency-ms', String(VLLM_LATENCY_MS), '--model', VLLM_MODEL], {
      ready: (l) => jsonLine(l)?.vllm,
    }),
  ]);
  progress.detail(`providers ${providers}, vLLM ${vllm}`);

  progress.phase('starting the costspan collector (DuckDB store)');
  // Cost accrues from the first window boundary after start-up (the demo's first traffic level starts there).
  const nodeStart = Math.ceil((Date.now() + 12_000) / WINDOW_MS) * WINDOW_MS;
  const vllmUrl = new URL(vllm);
  const config = {
    receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
    processors: { costspan: { window_grace: '1s' } },
    exporters: { duckdb: { path: storePath } },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['duckdb'] } } },
    budgets: [DEMO_BUDGET],
    // The RAG feature's retrieval, priced beside the model: Cohere Rerank per search unit (a `costs:` rule), the
    // Qdrant pod at $70/month shared by the queries it serves (a `resources:` entry).
    costs: RETRIEVAL_COSTS,
    resources: RETRIEVAL_RESOURCES,
    gpu: {
      window: WINDOW_MS,
      idle: 'shared',
      nodes: [
        {
          id: NODE_ID,
          hourlyRate: NODE_HOURLY_RATE,
          startTime: new Date(nodeStart).toISOString(),
          match: { 'server.address': vllmUrl.hostname, 'server.port': Number(vllmUrl.port) },
        },
      ],
    },
  };
  const configPath = join(outDir, 'collector.yaml');
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`); // JSON is YAML
  const collector = await group.start(
    'collector',
    node,
    [join(root, 'packages/cli/dist/bin.js'), 'collector', '--config', configPath],
    { ready: (l) => /listening on (http:\/\/\S+)\/v1\/traces/.exec(l)?.[1] },
  );
  await waitForHttp(`${collector}/health`);
  progress.detail(`${collector}, store ${storePath}`);

  progress.phase('starting the two services (node --import …)');
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_BSP_SCHEDULE_DELAY: '500',
    OTEL_BSP_MAX_QUEUE_SIZE: '8192',
  };
  const selfhosted = await group.start(
    'selfhosted-service',
    node,
    // Tokens priced in-process (the self-hosted model is not in the price book: `unpriced`), GPU time allocated
    // by the collector, which holds the node, sees every request on it and writes the node windows to the store.
    ['--import', '@costspan/node/register', 'examples/selfhosted-service/src/server.mjs'],
    {
      cwd: root,
      env: { ...otel, OTEL_SERVICE_NAME: 'selfhosted-service', PORT: '0', VLLM_URL: vllm, VLLM_MODEL },
      ready: (l) => jsonLine(l)?.listening,
    },
  );
  const front = await group.start(
    'openai-service',
    node,
    ['--import', '@costspan/node/register', 'examples/openai-service/src/server.mjs'],
    {
      cwd: root,
      env: {
        ...otel,
        OTEL_SERVICE_NAME: 'openai-service',
        PORT: '0',
        PROVIDER_URL: providers,
        SELFHOSTED_URL: selfhosted,
      },
      ready: (l) => jsonLine(l)?.listening,
    },
  );
  progress.detail(`openai-service ${front} → selfhosted-service ${selfhosted}`);

  progress.phase('provider traffic: OpenAI, Anthropic, Gemini by feature and tenant; RAG with Qdrant and Cohere');
  const tasks = PROVIDER_TRAFFIC.flatMap(({ feature, tenant, count }) =>
    Array.from(
      { length: count },
      (_, i) => () =>
        postJson(`${front}/${feature}`, { input: `${feature} request ${i} for ${tenant}` }, { 'x-tenant': tenant }),
    ),
  );
  await pool(tasks, 4, (n) => progress.detail(`${n}/${tasks.length} requests`));

  const phases = [];
  let phaseStart = Math.max(nodeStart, Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS);
  for (const [index, level] of LEVELS_PER_HOUR.entries()) {
    const count = phaseRequests(level);
    progress.phase(
      `self-hosted traffic ${index + 1}/3: the seed's ${level.toLocaleString('en-US')} requests/hour (${count} requests in ${PHASE_MS / 1000} s at ${COMPRESSION}× speed)`,
    );
    while (Date.now() < phaseStart - 20)
      await new Promise((r) => setTimeout(r, Math.min(200, phaseStart - Date.now())));
    const offsets = arrivals(count, PHASE_MS - QUIET_TAIL_MS, 1000 + index);
    const result = await sendAt(
      phaseStart,
      offsets,
      (i) =>
        postJson(
          `${front}/assist`,
          { input: `assist request ${i} ${'context '.repeat(i % 40)}` },
          { 'x-tenant': ASSIST_TENANTS[i % ASSIST_TENANTS.length] },
        ),
      (done, failed) => progress.detail(`${done}/${count} answered${failed ? `, ${failed} failed` : ''}`),
    );
    if (result.failed > 0) throw new Error(`${result.failed} self-hosted requests failed`);
    phases.push({ level, count, from: phaseStart, to: phaseStart + PHASE_MS });
    phaseStart += PHASE_MS;
  }

  progress.phase('stopping the services (final export) and the collector (closes windows, flushes the store)');
  await group.stop('openai-service');
  await group.stop('selfhosted-service');
  const budget = await readBudget(collector);
  const collectorExit = await group.stop('collector');
  if (collectorExit !== 0) throw new Error(`the collector exited with ${collectorExit}`);
  await group.stopAll();

  progress.phase('reading the store');
  const report = await readCostReport(storePath);
  const split = await readComponentSplit(storePath);
  const utilization = await readUtilization(storePath, phases);
  const invoicePath = join(outDir, 'openai-costs.json');
  await writeDatedInvoice(invoicePath);
  const reconciliation = await reconcileInvoice(storePath, invoicePath);
  progress.detail('costspan report --format html');
  const htmlPath = join(outDir, 'report.html');
  await writeHtmlReport(storePath, htmlPath);
  const decisions = await readDecisionTables(storePath);
  await writeSampleRevenue(join(outDir, 'revenue.csv'));
  progress.finish();

  out();
  printCostTable(out, report);
  out();
  printComponentTable(out, split);
  out();
  printUtilization(out, utilization);
  out();
  printReconciliation(out, reconciliation);
  out();
  printBudget(out, budget, group.logOf('collector'));
  out();
  out('Month-end forecast by tenant (costspan forecast --by tenant)');
  out(decisions.forecast.trimEnd());
  out();
  out(`Node consolidation (costspan consolidate --nodes ${NODE_ID})`);
  out(decisions.consolidate.trimEnd());
  out();
  out(`HTML report: ${htmlPath}`);
  out(`Store:       ${storePath}  (costspan report --store ${storePath} --by feature,tenant,model)`);
  out(`Done in ${((Date.now() - t0) / 1000).toFixed(1)} s; every process stopped.`);
  const summary = {
    store: storePath,
    html: htmlPath,
    total: report.total,
    split: splitSummary(split),
    utilization,
    reconciliation,
    budget,
  };
  await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/** A sample revenue file (USD per tenant) for `costspan report --revenue`: margin per tenant and price floors. */
async function writeSampleRevenue(path) {
  await writeFile(path, 'tenant,revenue\nacme,0.05\nglobex,0.02\ninitech,0.01\n');
}

/** The shipped sample invoice (OpenAI costs API page), moved to today's UTC bucket so it meets today's spans. */
async function writeDatedInvoice(path) {
  const sample = JSON.parse(await readFile(join(root, 'scripts/demo/sample-invoice.openai-costs.json'), 'utf8'));
  const day = Math.floor(Date.now() / 86_400_000) * 86_400;
  for (const bucket of sample.data) {
    bucket.start_time = day;
    bucket.end_time = day + 86_400;
  }
  await writeFile(path, `${JSON.stringify(sample, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    progress.finish();
    process.stderr.write(`demo failed: ${error?.stack ?? error}\n`);
    await group.stopAll(3_000);
    process.exit(1);
  },
);
