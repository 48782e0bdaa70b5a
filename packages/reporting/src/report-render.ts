import { displayUsd, formatUsd } from '@costspan/pricing';
import type { ComponentSplit, SplitRow } from './component-split.js';
import { formatCsv } from './csv.js';
import { floorsJson, floorsTable } from './price-floors-render.js';
import type { ReportData } from './report-data.js';
import type { ResourceRow } from './resource-rows.js';
import { COMPONENT_NAMES, type NodeRow, type RollupRow } from './rollup.js';
import { textTable } from './text-table.js';

const usd = (v: bigint | null) => (v === null ? null : formatUsd(v));
const iso = (ms: number) => new Date(ms).toISOString();

function rowJson(row: RollupRow) {
  return {
    ...row.key,
    requests: row.requests,
    unpriced: row.unpriced,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    cost: formatUsd(row.cost),
    costPerRequest: { mean: usd(row.mean), p50: usd(row.p50), p95: usd(row.p95) },
    components: Object.fromEntries(COMPONENT_NAMES.map((n) => [n, formatUsd(row.components[n])])),
  };
}

function nodeJson(row: NodeRow) {
  return {
    node: row.node,
    day: row.day,
    windows: row.windows,
    seconds: row.seconds,
    busySeconds: row.busySeconds,
    utilization: round(row.utilization, 6),
    requests: row.requests,
    nodeCost: formatUsd(row.nodeCost),
    directCost: formatUsd(row.directCost),
    idleCost: formatUsd(row.idleCost),
    idleSharedCost: formatUsd(row.idleSharedCost),
    overheadCost: formatUsd(row.overheadCost),
  };
}

function splitRowJson(row: SplitRow) {
  return {
    ...row.key,
    requests: row.requests,
    unpriced: row.unpriced,
    cost: formatUsd(row.cost),
    costPerRequest: usd(row.mean),
    parts: Object.fromEntries(Object.entries(row.parts).map(([p, v]) => [p, formatUsd(v)])),
    partsPerRequest: Object.fromEntries(Object.entries(row.perRequest).map(([p, v]) => [p, formatUsd(v)])),
  };
}

function splitJson(split: ComponentSplit) {
  return {
    by: split.dimensions,
    parts: split.parts,
    rows: split.rows.map(splitRowJson),
    total: splitRowJson(split.total),
  };
}

function resourceJson(row: ResourceRow) {
  return {
    resource: row.resource,
    component: row.component,
    method: row.method,
    windows: row.windows,
    seconds: row.seconds,
    busySeconds: row.busySeconds,
    utilization: round(row.utilization, 6),
    requests: row.requests,
    resourceCost: formatUsd(row.nodeCost),
    directCost: formatUsd(row.directCost),
    idleCost: formatUsd(row.idleCost),
    idleSharedCost: formatUsd(row.idleSharedCost),
    overheadCost: formatUsd(row.overheadCost),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The JSON report. Money is exact USD decimal text ("0.000435"); ratios are numbers. */
export function reportJson(data: ReportData): string {
  const out: Record<string, unknown> = {
    from: iso(data.from),
    to: iso(data.to),
    by: data.dimensions,
    rows: data.rollup.rows.map(rowJson),
    total: rowJson(data.rollup.total),
    nodes: data.rollup.nodes.map(nodeJson),
    nodeTotal: data.rollup.nodeTotal ? nodeJson(data.rollup.nodeTotal) : null,
  };
  if (data.split) out.split = splitJson(data.split);
  if (data.resources) out.resources = data.resources.map(resourceJson);
  if (data.top) {
    out.top = data.top.map((t) => ({ ...t, time: iso(t.time), cost: formatUsd(t.cost) }));
  }
  if (data.rising) {
    out.rising = {
      by: data.rising.dimension,
      previousFrom: iso(data.rising.previousFrom),
      rows: data.rising.rows.map((r) => ({
        key: r.key,
        requests: r.requests,
        previousRequests: r.previousRequests,
        mean: formatUsd(r.mean),
        previousMean: formatUsd(r.previousMean),
        rise: formatUsd(r.rise),
        factor: r.factor === null ? null : round(r.factor, 6),
      })),
    };
  }
  if (data.whatIf) {
    const w = data.whatIf;
    const whatIfRow = (r: typeof w.total) => ({
      ...r.key,
      requests: r.requests,
      skipped: r.skipped,
      actual: formatUsd(r.actual),
      whatIf: formatUsd(r.whatIf),
      saving: formatUsd(r.saving),
      savingShare: r.savingShare === null ? null : round(r.savingShare, 6),
    });
    out.whatIf = { scenario: w.scenario, where: w.where, rows: w.rows.map(whatIfRow), total: whatIfRow(w.total) };
  }
  if (data.margin) {
    const marginRow = (r: (typeof data.margin.byFeature)[number]) => ({
      key: r.key,
      revenue: formatUsd(r.revenue),
      cost: formatUsd(r.cost),
      margin: formatUsd(r.margin),
      marginShare: r.marginShare === null ? null : round(r.marginShare, 6),
      unprofitable: r.unprofitable,
    });
    out.margin = { byFeature: data.margin.byFeature.map(marginRow), byTenant: data.margin.byTenant.map(marginRow) };
  }
  if (data.floors) out.floors = floorsJson(data.floors);
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** CSV: one line per rollup row (kind=row), the total (kind=total) and node lines (kind=node). */
export function reportCsv(data: ReportData): string {
  const dims = data.dimensions;
  const header = [
    'kind',
    ...dims,
    'requests',
    'unpriced',
    'input_tokens',
    'output_tokens',
    'cache_read_tokens',
    'cache_write_tokens',
    'cost_usd',
    'mean_usd',
    'p50_usd',
    'p95_usd',
    ...COMPONENT_NAMES.map((n) => `${n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_usd`),
    'gpu_node',
    'utilization',
    'node_cost_usd',
    'direct_cost_usd',
    'idle_cost_usd',
    'idle_shared_cost_usd',
    'overhead_cost_usd',
    // With a split by component only: one line per group and part (kind=part, kind=part_total), requests = traces.
    ...(data.split ? ['part', 'part_cost_usd'] : []),
  ];
  const lines: string[][] = [];
  const row = (kind: string, r: RollupRow) => [
    kind,
    ...dims.map((d) => r.key[d] ?? ''),
    String(r.requests),
    String(r.unpriced),
    String(r.inputTokens),
    String(r.outputTokens),
    String(r.cacheReadTokens),
    String(r.cacheWriteTokens),
    formatUsd(r.cost),
    usd(r.mean) ?? '',
    usd(r.p50) ?? '',
    usd(r.p95) ?? '',
    ...COMPONENT_NAMES.map((n) => formatUsd(r.components[n])),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    ...(data.split ? ['', ''] : []),
  ];
  for (const r of data.rollup.rows) lines.push(row('row', r));
  lines.push(row('total', data.rollup.total));
  for (const n of data.rollup.nodes) {
    const cells = new Array<string>(header.length).fill('');
    cells[0] = 'node';
    const dayIndex = dims.indexOf('day');
    if (dayIndex >= 0 && n.day) cells[1 + dayIndex] = n.day;
    cells[1 + dims.length] = String(n.requests);
    const base = header.indexOf('gpu_node');
    cells[base] = n.node;
    cells[base + 1] = round(n.utilization, 6).toString();
    cells[base + 2] = formatUsd(n.nodeCost);
    cells[base + 3] = formatUsd(n.directCost);
    cells[base + 4] = formatUsd(n.idleCost);
    cells[base + 5] = formatUsd(n.idleSharedCost);
    cells[base + 6] = formatUsd(n.overheadCost);
    lines.push(cells);
  }
  if (data.split) lines.push(...splitCsvLines(data.split, dims, header));
  return formatCsv(header, lines);
}

/** The split's lines: per group (and the total) one line per part, under the rollup's own dimension columns. */
function splitCsvLines(split: ComponentSplit, dims: readonly string[], header: readonly string[]): string[][] {
  const lines: string[][] = [];
  const partIndex = header.indexOf('part');
  for (const [kind, list] of [
    ['part', split.rows],
    ['part_total', [split.total]],
  ] as const) {
    for (const r of list) {
      for (const [part, cost] of Object.entries(r.parts)) {
        const cells = new Array<string>(header.length).fill('');
        cells[0] = kind;
        dims.forEach((d, i) => {
          cells[1 + i] = r.key[d] ?? '';
        });
        cells[1 + dims.length] = String(r.requests);
        cells[2 + dims.length] = String(r.unpriced);
        cells[partIndex] = part;
        cells[partIndex + 1] = formatUsd(cost);
        lines.push(cells);
      }
    }
  }
  return lines;
}

const money = (v: bigint | null) => (v === null ? '-' : displayUsd(v));
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

/** The human report. */
export function reportTable(data: ReportData): string {
  const parts: string[] = [];
  const dims = data.dimensions;
  parts.push(`costspan report  ${iso(data.from)} → ${iso(data.to)}${dims.length ? `  by ${dims.join(', ')}` : ''}\n`);
  // With --by component alone the span rollup has no dimension: its total line only (the split follows).
  const rollupRows = dims.length === 0 && data.split ? [] : data.rollup.rows;
  const rows = [...rollupRows, data.rollup.total].map((r, i, all) => [
    ...(i === all.length - 1 ? dims.map((_, j) => (j === 0 ? 'TOTAL' : '')) : dims.map((d) => r.key[d] ?? '')),
    r.requests.toLocaleString('en-US'),
    r.unpriced ? String(r.unpriced) : '',
    (r.inputTokens + r.outputTokens).toLocaleString('en-US'),
    money(r.cost),
    money(r.mean),
    money(r.p50),
    money(r.p95),
    money(r.components.input + r.components.cacheRead + r.components.cacheWrite),
    money(r.components.output),
    money(r.components.gpu + r.components.idle + r.components.overhead),
  ]);
  parts.push(
    textTable(
      [
        ...dims,
        'requests',
        'unpriced',
        'tokens',
        'cost',
        'mean/req',
        'p50/req',
        'p95/req',
        'input',
        'output',
        'gpu+idle',
      ],
      rows,
    ),
  );
  if (data.rollup.nodes.length > 0) {
    parts.push('\nGPU nodes');
    const nodes = [...data.rollup.nodes, ...(data.rollup.nodeTotal ? [data.rollup.nodeTotal] : [])];
    parts.push(
      textTable(
        [
          'node',
          ...(dims.includes('day') ? ['day'] : []),
          'utilization',
          'requests',
          'node cost',
          'direct',
          'idle',
          'idle share',
        ],
        nodes.map((n) => [
          n.node === 'all' && n === data.rollup.nodeTotal ? 'TOTAL' : n.node,
          ...(dims.includes('day') ? [n.day ?? ''] : []),
          pct(n.utilization),
          n.requests.toLocaleString('en-US'),
          money(n.nodeCost),
          money(n.directCost),
          money(n.idleCost),
          pct(n.nodeCost === 0n ? null : Number(n.idleCost) / Number(n.nodeCost)),
        ]),
      ),
    );
  }
  if (data.split) parts.push(splitTable(data.split));
  if (data.resources) parts.push(resourceTable(data.resources));
  if (data.top) {
    parts.push(`\nTop ${data.top.length} requests by cost`);
    parts.push(
      textTable(
        ['cost', 'time', 'trace id', 'span id', 'feature', 'model', 'in/out tokens'],
        data.top.map((t) => [
          money(t.cost),
          iso(t.time),
          t.traceId,
          t.spanId,
          t.feature ?? '',
          t.model ?? '',
          `${t.inputTokens}/${t.outputTokens}`,
        ]),
        [true, false, false, false, false, false, true],
      ),
    );
  }
  if (data.rising) {
    parts.push(
      `\nCost per request rising by ${data.rising.dimension} (vs ${iso(data.rising.previousFrom)} → ${iso(data.from)})`,
    );
    parts.push(
      data.rising.rows.length === 0
        ? '(none rose)\n'
        : textTable(
            [data.rising.dimension, 'mean now', 'mean before', 'rise', 'factor', 'requests'],
            data.rising.rows.map((r) => [
              r.key,
              money(r.mean),
              money(r.previousMean),
              money(r.rise),
              r.factor === null ? '-' : `${r.factor.toFixed(2)}x`,
              String(r.requests),
            ]),
          ),
    );
  }
  if (data.whatIf) {
    const w = data.whatIf;
    const where = Object.entries(w.where)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    parts.push(`\nWhat if ${w.scenario}${where ? ` where ${where}` : ''}`);
    parts.push(
      textTable(
        [...dims, 'requests', 'skipped', 'actual', 'what-if', 'saving', 'saving %'],
        [...w.rows, w.total].map((r, i, all) => [
          ...(i === all.length - 1 ? dims.map((_, j) => (j === 0 ? 'TOTAL' : '')) : dims.map((d) => r.key[d] ?? '')),
          String(r.requests),
          r.skipped ? String(r.skipped) : '',
          money(r.actual),
          money(r.whatIf),
          money(r.saving),
          pct(r.savingShare),
        ]),
      ),
    );
  }
  if (data.margin) {
    for (const [title, list] of [
      ['feature', data.margin.byFeature],
      ['tenant', data.margin.byTenant],
    ] as const) {
      parts.push(`\nMargin by ${title}`);
      parts.push(
        textTable(
          [title, 'revenue', 'cost', 'margin', 'margin %', ''],
          list.map((r) => [
            r.key,
            money(r.revenue),
            money(r.cost),
            money(r.margin),
            pct(r.marginShare),
            r.unprofitable ? 'UNPROFITABLE' : '',
          ]),
        ),
      );
    }
  }
  if (data.floors) parts.push(floorsTable(data.floors));
  return parts.join('\n');
}

/**
 * The split as rows of text: by component, one line per part with its share; otherwise one line per group with
 * the cost per request of each part (Σ parts = per request exactly).
 */
export function splitSection(split: ComponentSplit): { title: string; header: string[]; rows: string[][] } {
  const dims = split.dimensions;
  const byPart = dims.includes('component');
  const all = [...split.rows, split.total];
  const keyCells = (r: SplitRow, i: number) =>
    i === all.length - 1 ? dims.map((_, j) => (j === 0 ? 'TOTAL' : '')) : dims.map((d) => r.key[d] ?? '');
  const title = `Cost per request by component${dims.length ? ` by ${dims.join(', ')}` : ''} (a request = a trace)`;
  if (byPart) {
    return {
      title,
      header: [...dims, 'requests', 'unpriced', 'cost', 'per request', 'share'],
      rows: all.map((r, i) => [
        ...keyCells(r, i),
        r.requests.toLocaleString('en-US'),
        r.unpriced ? String(r.unpriced) : '',
        money(r.cost),
        money(r.mean),
        pct(split.total.cost === 0n ? null : Number(r.cost) / Number(split.total.cost)),
      ]),
    };
  }
  return {
    title,
    header: [...dims, 'requests', 'unpriced', 'cost', 'per request', ...split.parts],
    rows: all.map((r, i) => [
      ...keyCells(r, i),
      r.requests.toLocaleString('en-US'),
      r.unpriced ? String(r.unpriced) : '',
      money(r.cost),
      money(r.mean),
      ...split.parts.map((p) => (r.mean === null ? '-' : partMoney(r.perRequest[p] ?? 0n))),
    ]),
  };
}

/** A part's amount; a part the group does not have reads $0 (not $0.000000000). */
const partMoney = (v: bigint) => (v === 0n ? '$0' : money(v));

function splitTable(split: ComponentSplit): string {
  const section = splitSection(split);
  return `\n${section.title}\n${textTable(section.header, section.rows)}`;
}

function resourceTable(rows: readonly ResourceRow[]): string {
  return `\nShared resources\n${textTable(
    ['resource', 'component', 'method', 'utilization', 'requests', 'cost', 'direct', 'idle', 'idle share'],
    rows.map((r) => [
      r.resource,
      r.component,
      r.method,
      pct(r.utilization),
      r.requests.toLocaleString('en-US'),
      money(r.nodeCost),
      money(r.directCost),
      money(r.idleCost),
      pct(r.nodeCost === 0n ? null : Number(r.idleCost) / Number(r.nodeCost)),
    ]),
  )}`;
}
