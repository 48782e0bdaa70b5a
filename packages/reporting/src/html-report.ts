import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { displayUsd } from '@costspan/pricing';
import { floorSections } from './price-floors-render.js';
import type { ReportData } from './report-data.js';
import { splitSection } from './report-render.js';

const CHART_PACKAGE = 'chart.js';

/** The minified UMD build of Chart.js from node_modules, inlined so the file needs no network at view time. */
async function chartJsSource(): Promise<{ source: string; version: string }> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(CHART_PACKAGE); // dist/chart.cjs
  const root = dirname(dirname(entry));
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const source = await readFile(join(root, 'dist', 'chart.umd.min.js'), 'utf8');
  return { source: source.replace(/<\/script/gi, '<\\/script'), version: pkg.version };
}

const usd = (units: bigint) => Number(units) / 1e9;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The chart data: plain numbers (USD floats are fine for drawing; tables print exact text). */
export function chartData(data: ReportData) {
  const charts = data.charts ?? { days: [], featureDays: [], nodeWindows: [] };
  const days = charts.days;
  const featureDays = {
    labels: days,
    series: charts.featureDays.map(({ feature, cells }) => ({
      label: feature,
      data: days.map((d) => {
        const cell = cells.get(d);
        return cell ? usd(cell.cost) / cell.requests : null;
      }),
    })),
  };
  const nodeScatter = charts.nodeWindows.map(({ node, points }) => ({
    label: node,
    data: points.map((w) => ({ x: (w.busySeconds / w.seconds) * 100, y: usd(w.nodeCost) / w.requests })),
  }));
  const idle = {
    labels: data.rollup.nodes.map((n) => (n.day ? `${n.node} ${n.day}` : n.node)),
    direct: data.rollup.nodes.map((n) => usd(n.directCost)),
    idle: data.rollup.nodes.map((n) => usd(n.idleCost)),
  };
  const top = (data.top ?? []).map((t) => ({
    label: `${t.traceId.slice(0, 12)}… ${t.feature ?? ''}`,
    value: usd(t.cost),
  }));
  const variance = (data.variance ?? []).map((v) => ({
    label: `${v.day} ${v.label}`,
    value: usd(v.variance),
    flagged: v.flagged,
  }));
  const base = { featureDays, nodeScatter, idle, top, variance };
  const split = charts.featureParts;
  if (!split) return base;
  // The stack per feature: cost per request of each part (the parts of a feature's bar add up to its cost per
  // request); features in the order of the split (cost descending).
  const featureParts = {
    labels: split.rows.map((r) => r.key.feature ?? ''),
    series: split.parts.map((part) => ({
      label: part,
      data: split.rows.map((r) => usd(r.perRequest[part] ?? 0n)),
    })),
  };
  return { ...base, featureParts };
}

/** The split's table and the stacked chart's section, when the report has a split (else nothing). */
function splitHtml(data: ReportData): { chart: string; table: string; script: string } {
  if (!data.split) return { chart: '', table: '', script: '' };
  const section = splitSection(data.split);
  const table = `<h2>${escapeHtml(section.title)}</h2>\n<table><thead><tr>${section.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${section.rows.map((row) => `<tr>${row.map((cell, i) => `<td${i < data.split!.dimensions.length ? '' : ' class="n"'}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>\n`;
  const chart = data.charts?.featureParts
    ? '<section><h2>Cost per request by component per feature</h2><div class="chart"><canvas id="feature-parts"></canvas></div></section>\n'
    : '';
  const script = data.charts?.featureParts
    ? `    charts.push(new Chart(document.getElementById('feature-parts'), {
      type: 'bar',
      data: { labels: d.featureParts.labels, datasets: d.featureParts.series },
      options: Object.assign({}, base, { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'USD per request' }, ticks: { callback: usd } } } })
    }));
`
    : '';
  return { chart, table, script };
}

/**
 * One self-contained HTML file: tables plus five Chart.js charts (six with a split by component: the stack per
 * feature); sets data-charts-rendered when drawn.
 */
export async function renderHtmlReport(data: ReportData): Promise<string> {
  const chart = await chartJsSource();
  const payload = JSON.stringify(chartData(data)).replace(/</g, '\\u003c');
  const total = data.rollup.total;
  const rows = data.rollup.rows
    .slice(0, 200)
    .map(
      (r) =>
        `<tr>${data.dimensions.map((d) => `<td>${escapeHtml(r.key[d] ?? '')}</td>`).join('')}<td class="n">${r.requests}</td><td class="n">${displayUsd(r.cost)}</td><td class="n">${r.mean === null ? '-' : displayUsd(r.mean)}</td><td class="n">${r.p50 === null ? '-' : displayUsd(r.p50)}</td><td class="n">${r.p95 === null ? '-' : displayUsd(r.p95)}</td></tr>`,
    )
    .join('\n');
  // With --revenue: floors per feature and tier (and the usage-cap what-if), the same tables as the text report.
  const floors = (data.floors ? floorSections(data.floors) : [])
    .map(
      (section) =>
        `<h2>${escapeHtml(section.title)}</h2>\n<table><thead><tr>${section.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${section.rows.map((row) => `<tr>${row.map((cell, i) => `<td${i === 0 ? '' : ' class="n"'}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>\n`,
    )
    .join('');
  const split = splitHtml(data);
  const title = `costspan report ${new Date(data.from).toISOString().slice(0, 10)} → ${new Date(data.to - 1).toISOString().slice(0, 10)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@costspan/reporting with chart.js ${escapeHtml(chart.version)}">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{border:1px solid #dde;border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:18px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:24px}
.chart{position:relative;height:300px}
table{border-collapse:collapse;margin-top:8px}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="cards">
<div class="card">requests<b>${total.requests.toLocaleString('en-US')}</b></div>
<div class="card">total cost<b>${displayUsd(total.cost)}</b></div>
<div class="card">mean / request<b>${total.mean === null ? '-' : displayUsd(total.mean)}</b></div>
<div class="card">p95 / request<b>${total.p95 === null ? '-' : displayUsd(total.p95)}</b></div>
<div class="card">unpriced<b>${total.unpriced}</b></div>
${data.rollup.nodeTotal ? `<div class="card">GPU idle<b>${displayUsd(data.rollup.nodeTotal.idleCost)} of ${displayUsd(data.rollup.nodeTotal.nodeCost)}</b></div>` : ''}
</div>
<div class="grid">
<section><h2>Cost per request by feature over days</h2><div class="chart"><canvas id="feature-days"></canvas></div></section>
<section><h2>Cost per request vs utilization per node</h2><div class="chart"><canvas id="node-utilization"></canvas></div></section>
<section><h2>Idle share per node</h2><div class="chart"><canvas id="idle-share"></canvas></div></section>
<section><h2>Top outliers</h2><div class="chart"><canvas id="top-outliers"></canvas></div></section>
<section><h2>Reconciliation variance</h2><div class="chart"><canvas id="reconciliation"></canvas></div></section>
${split.chart}</div>
<h2>By ${escapeHtml(data.dimensions.join(', ') || 'total')}</h2>
<table><thead><tr>${data.dimensions.map((d) => `<th>${d}</th>`).join('')}<th>requests</th><th>cost</th><th>mean</th><th>p50</th><th>p95</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${split.table}${floors}<script>${chart.source}</script>
<script id="costspan-data" type="application/json">${payload}</script>
<script>
(function () {
  var body = document.body;
  try {
    var d = JSON.parse(document.getElementById('costspan-data').textContent);
    var usd = function (v) { return '$' + (v === 0 ? '0' : Math.abs(v) < 1 ? Number(v.toPrecision(3)) : v.toFixed(2)); };
    var base = { animation: false, responsive: true, maintainAspectRatio: false };
    var charts = [];
    charts.push(new Chart(document.getElementById('feature-days'), {
      type: 'line',
      data: { labels: d.featureDays.labels, datasets: d.featureDays.series.map(function (s) { return { label: s.label, data: s.data, spanGaps: true }; }) },
      options: Object.assign({}, base, { scales: { y: { title: { display: true, text: 'USD per request' }, ticks: { callback: usd } } } })
    }));
    charts.push(new Chart(document.getElementById('node-utilization'), {
      type: 'scatter',
      data: { datasets: d.nodeScatter },
      options: Object.assign({}, base, { scales: { x: { min: 0, max: 100, title: { display: true, text: 'utilization %' } }, y: { title: { display: true, text: 'USD per request' } } } })
    }));
    charts.push(new Chart(document.getElementById('idle-share'), {
      type: 'bar',
      data: { labels: d.idle.labels, datasets: [{ label: 'direct', data: d.idle.direct }, { label: 'idle', data: d.idle.idle }] },
      options: Object.assign({}, base, { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'USD' } } } })
    }));
    charts.push(new Chart(document.getElementById('top-outliers'), {
      type: 'bar',
      data: { labels: d.top.map(function (t) { return t.label; }), datasets: [{ label: 'cost', data: d.top.map(function (t) { return t.value; }) }] },
      options: Object.assign({}, base, { indexAxis: 'y' })
    }));
    charts.push(new Chart(document.getElementById('reconciliation'), {
      type: 'bar',
      data: { labels: d.variance.map(function (v) { return v.label; }), datasets: [{ label: 'invoice − estimate (USD)', data: d.variance.map(function (v) { return v.value; }), backgroundColor: d.variance.map(function (v) { return v.flagged ? '#d9534f' : '#5b8def'; }) }] },
      options: base
    }));
${split.script}    var drawn = 0;
    charts.forEach(function (c) {
      var canvas = c.canvas, ctx = canvas.getContext('2d');
      var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { drawn++; break; } }
    });
    body.setAttribute('data-charts-rendered', String(charts.length));
    body.setAttribute('data-charts-drawn', String(drawn));
  } catch (e) {
    body.setAttribute('data-render-error', String(e && e.message || e));
  }
})();
</script>
</body>
</html>
`;
}
