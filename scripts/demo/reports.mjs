import { main } from '@costspan/cli';
import { formatUsd } from '@costspan/pricing';
import { openStore, queryComponentSplit, queryRollup, splitSection, storeSource } from '@costspan/reporting';
import { COMPRESSION } from './settings.mjs';

/** Runs a `costspan` command (report, reconcile) in this process, as the bin does, and returns its stdout. */
export async function capture(argv) {
  let stdout = '';
  let stderr = '';
  const write = (append) => ({ write: (t) => append(t) });
  const code = await main(argv, {
    out: (t) => (stdout += `${t}\n`),
    err: (t) => (stderr += `${t}\n`),
    streams: { stdout: write((t) => (stdout += t)), stderr: write((t) => (stderr += t)), isTTY: false },
  });
  if (code !== 0) throw new Error(`costspan ${argv.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

/** `costspan report --by feature,tenant,model --format json` over the store. */
export async function readCostReport(store) {
  return JSON.parse(await capture(['report', '--store', store, '--by', 'feature,tenant,model', '--format', 'json']));
}

/** `costspan report --format html --out FILE`. */
export async function writeHtmlReport(store, out) {
  await capture(['report', '--store', store, '--by', 'feature', '--format', 'html', '--out', out]);
}

/** `costspan reconcile --invoice FILE --format json` (writes the adjustments beside the estimates). */
export async function reconcileInvoice(store, invoice) {
  return JSON.parse(
    await capture([
      'reconcile',
      '--store',
      store,
      '--invoice',
      invoice,
      '--invoice-format',
      'openai-costs',
      '--format',
      'json',
    ]),
  );
}

/** Per traffic level: the node's windows in the phase (exact nano-dollars) and what they mean per request. */
export async function readUtilization(store, phases) {
  const { connection, close } = await openStore(store);
  try {
    const rows = [];
    const source = await storeSource(connection);
    for (const phase of phases) {
      const node = (await queryRollup(source, { from: phase.from, to: phase.to }, ['feature'])).nodeTotal;
      if (!node)
        throw new Error(
          `no GPU node windows between ${new Date(phase.from).toISOString()} and ${new Date(phase.to).toISOString()}`,
        );
      const hours = node.seconds / 3600;
      rows.push({
        seedLevelPerHour: phase.level,
        requests: phase.count,
        seconds: node.seconds,
        realRequestsPerHour: Math.round(phase.count / hours),
        utilization: node.utilization,
        nodeCostNanos: String(node.nodeCost),
        directCostNanos: String(node.directCost),
        idleCostNanos: String(node.idleCost),
        costPerRequestNanos: String(node.nodeCost / BigInt(phase.count)),
        idleShare: Number(node.idleCost) / Number(node.nodeCost),
      });
    }
    return rows;
  } finally {
    close();
  }
}

const usd = (nanos, digits = 6) => `$${(Number(nanos) / 1e9).toFixed(digits)}`;
const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));

export function printCostTable(out, report) {
  out('Cost per request by feature, tenant and model (costspan report --by feature,tenant,model)');
  const header = [
    pad('feature', 14),
    pad('tenant', 9),
    pad('model', 34),
    pad('requests', 8, true),
    pad('cost', 11, true),
    pad('per request', 12, true),
  ];
  out(header.join('  '));
  for (const row of report.rows) {
    out(
      [
        pad(row.feature, 14),
        pad(row.tenant, 9),
        pad(row.model, 34),
        pad(row.requests, 8, true),
        pad(`$${row.cost}`, 11, true),
        pad(row.costPerRequest.mean === null ? 'unpriced' : `$${row.costPerRequest.mean}`, 12, true),
      ].join('  '),
    );
  }
  const t = report.total;
  out(
    [
      pad('TOTAL', 14),
      pad('', 9),
      pad('', 34),
      pad(t.requests, 8, true),
      pad(`$${t.cost}`, 11, true),
      pad(`$${t.costPerRequest.mean}`, 12, true),
    ].join('  '),
  );
}

/**
 * What each request paid for, by feature: the report's split by component (`costspan report --by feature`), over
 * every span of the store (the demo's whole run).
 */
export async function readComponentSplit(store) {
  const { connection, close } = await openStore(store);
  try {
    const source = await storeSource(connection);
    return await queryComponentSplit(source, { from: 0, to: Date.now() + 86_400_000 }, ['feature']);
  } finally {
    close();
  }
}

/** The split as exact USD text: per feature, requests, cost, cost per request and each part's share of it. */
export function splitSummary(split) {
  const row = (r) => ({
    ...r.key,
    requests: r.requests,
    cost: formatUsd(r.cost),
    perRequest: r.mean === null ? null : formatUsd(r.mean),
    parts: Object.fromEntries(Object.entries(r.parts).map(([p, v]) => [p, formatUsd(v)])),
    partsPerRequest: Object.fromEntries(Object.entries(r.perRequest).map(([p, v]) => [p, formatUsd(v)])),
  });
  return { parts: split.parts, rows: split.rows.map(row), total: row(split.total) };
}

export function printComponentTable(out, split) {
  const { header, rows } = splitSection(split);
  out(
    'Cost per request by component: model tokens, GPU time, retrieval, rerank, overhead (costspan report --by feature)',
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ');
  out(line(header));
  for (const r of rows) out(line(r));
}

export function printUtilization(out, rows) {
  out(`GPU node utilization: one node at a fixed rate, three traffic levels (time compressed ${COMPRESSION}×)`);
  out(
    [
      pad('seed level', 10, true),
      pad('requests', 8, true),
      pad('real req/hour', 13, true),
      pad('utilization', 11, true),
      pad('node cost', 10, true),
      pad('idle share', 10, true),
      pad('cost/request', 12, true),
      pad(`× ${COMPRESSION} (seed hour)`, 16, true),
    ].join('  '),
  );
  for (const r of rows) {
    out(
      [
        pad(`${r.seedLevelPerHour}/h`, 10, true),
        pad(r.requests, 8, true),
        pad(r.realRequestsPerHour.toLocaleString('en-US'), 13, true),
        pad(`${(r.utilization * 100).toFixed(1)} %`, 11, true),
        pad(usd(r.nodeCostNanos), 10, true),
        pad(`${(r.idleShare * 100).toFixed(1)} %`, 10, true),
        pad(usd(r.costPerRequestNanos, 7), 12, true),
        pad(usd(BigInt(r.costPerRequestNanos) * BigInt(COMPRESSION), 5), 16, true),
      ].join('  '),
    );
  }
  out(`Check by hand: node cost = $3.60/h × seconds ÷ 3600; cost/request = node cost ÷ requests`);
  out(`  = $3.60 ÷ real req/hour (idle shared). Each real second stands for ${COMPRESSION} seed seconds.`);
}

export function printReconciliation(out, result) {
  out(`Reconciliation against a sample OpenAI invoice (costspan reconcile, period ${result.period})`);
  out(
    [
      pad('model', 24),
      pad('estimate', 11, true),
      pad('invoice', 11, true),
      pad('variance', 11, true),
      pad('k', 6, true),
      '',
    ].join('  '),
  );
  for (const r of result.rows) {
    out(
      [
        pad(r.model ?? r.node ?? '(provider)', 24),
        pad(`$${r.estimate}`, 11, true),
        pad(`$${r.actual}`, 11, true),
        pad(`$${r.variance}`, 11, true),
        pad(r.k === null ? '-' : r.k.toFixed(3), 6, true),
        r.flagged ? 'FLAGGED' : 'ok',
      ].join('  '),
    );
  }
  out(`Adjusted total: $${result.totals.adjusted} (estimates + adjustments = invoice, exactly)`);
}
