import { dimensionValue } from './dimension-value.js';
import { divRound } from './money.js';
import { percentile, sortAmounts } from './percentile.js';
import type { CostComponents, Dimension, NodeWindowRecord, RequestRecord } from './types.js';

/** One line of a rollup: the requests sharing the same values on the chosen dimensions. */
export interface RollupRow {
  key: Record<string, string>;
  requests: number;
  /** Requests without a price (their cost is unknown, never counted as $0). */
  unpriced: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Σ cost of priced requests, nano-dollars. */
  cost: bigint;
  components: CostComponents;
  /** Per priced request, nano-dollars (mean rounded half-to-even); null when none is priced. */
  mean: bigint | null;
  p50: bigint | null;
  p95: bigint | null;
}

/** A GPU node's own line: its cost, how much of it requests used, and the idle rest. */
export interface NodeRow {
  node: string;
  /** The day (YYYY-MM-DD) when the rollup is by day, else null. */
  day: string | null;
  windows: number;
  seconds: number;
  busySeconds: number;
  /** busySeconds / seconds. */
  utilization: number;
  requests: number;
  nodeCost: bigint;
  directCost: bigint;
  idleCost: bigint;
  /** Idle already loaded onto requests (shared idle policy); idleCost − idleSharedCost is the unallocated idle. */
  idleSharedCost: bigint;
  overheadCost: bigint;
}

export interface Rollup {
  dimensions: Dimension[];
  rows: RollupRow[];
  total: RollupRow;
  nodes: NodeRow[];
  nodeTotal: NodeRow | null;
}

export function emptyComponents(): CostComponents {
  return { input: 0n, output: 0n, cacheRead: 0n, cacheWrite: 0n, request: 0n, gpu: 0n, idle: 0n, overhead: 0n };
}

export const COMPONENT_NAMES = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite',
  'request',
  'gpu',
  'idle',
  'overhead',
] as const;

/** Summarizes a set of requests (percentiles over priced requests only). */
export function summarize(key: Record<string, string>, records: readonly RequestRecord[]): RollupRow {
  const components = emptyComponents();
  const costs: bigint[] = [];
  let cost = 0n;
  let unpriced = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  for (const r of records) {
    inputTokens += r.inputTokens;
    outputTokens += r.outputTokens;
    cacheReadTokens += r.cacheReadTokens;
    cacheWriteTokens += r.cacheWriteTokens;
    if (r.cost === null) {
      unpriced++;
      continue;
    }
    cost += r.cost;
    costs.push(r.cost);
    for (const name of COMPONENT_NAMES) components[name] += r.components[name];
  }
  sortAmounts(costs);
  return {
    key,
    requests: records.length,
    unpriced,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cost,
    components,
    mean: costs.length === 0 ? null : divRound(cost, BigInt(costs.length)),
    p50: percentile(costs, 0.5),
    p95: percentile(costs, 0.95),
  };
}

/** Groups requests by the dimensions (in order), sorted by cost descending then key; adds node lines. */
export function rollup(
  records: readonly RequestRecord[],
  windows: readonly NodeWindowRecord[],
  dimensions: readonly Dimension[],
): Rollup {
  const groups = new Map<string, { key: Record<string, string>; records: RequestRecord[] }>();
  for (const record of records) {
    const key: Record<string, string> = {};
    for (const d of dimensions) key[d] = dimensionValue(record, d);
    const id = JSON.stringify(dimensions.map((d) => key[d]));
    let group = groups.get(id);
    if (!group) {
      group = { key, records: [] };
      groups.set(id, group);
    }
    group.records.push(record);
  }
  const rows = [...groups.values()].map((g) => summarize(g.key, g.records));
  rows.sort((a, b) => (a.cost === b.cost ? keyText(a).localeCompare(keyText(b)) : a.cost > b.cost ? -1 : 1));
  const byDay = dimensions.includes('day');
  const nodes = nodeRows(windows, byDay);
  return {
    dimensions: [...dimensions],
    rows,
    total: summarize({}, records),
    nodes,
    nodeTotal: nodes.length === 0 ? null : sumNodeRows(nodes, 'all', null),
  };
}

function keyText(row: RollupRow): string {
  return Object.values(row.key).join('\u0000');
}

/** Node lines, one per node (and per UTC day of window start when `byDay`). */
export function nodeRows(windows: readonly NodeWindowRecord[], byDay: boolean): NodeRow[] {
  const groups = new Map<string, NodeWindowRecord[]>();
  for (const w of windows) {
    const day = byDay ? new Date(w.start).toISOString().slice(0, 10) : '';
    const id = `${w.node}\u0000${day}`;
    const list = groups.get(id) ?? [];
    list.push(w);
    groups.set(id, list);
  }
  const rows: NodeRow[] = [];
  for (const [id, list] of groups) {
    const [node, day] = id.split('\u0000') as [string, string];
    rows.push(sumNodeWindows(node, byDay ? day : null, list));
  }
  rows.sort((a, b) => a.node.localeCompare(b.node) || (a.day ?? '').localeCompare(b.day ?? ''));
  return rows;
}

function emptyNodeRow(node: string, day: string | null): NodeRow {
  return {
    node,
    day,
    windows: 0,
    seconds: 0,
    busySeconds: 0,
    utilization: 0,
    requests: 0,
    nodeCost: 0n,
    directCost: 0n,
    idleCost: 0n,
    idleSharedCost: 0n,
    overheadCost: 0n,
  };
}

/** Adds one window's (or one row's) seconds, requests and money into a running node row. */
function addNodePart(
  row: NodeRow,
  part: Pick<
    NodeRow,
    'busySeconds' | 'requests' | 'nodeCost' | 'directCost' | 'idleCost' | 'idleSharedCost' | 'overheadCost'
  >,
  seconds: number,
  windows: number,
): void {
  row.windows += windows;
  row.seconds += seconds;
  row.busySeconds += part.busySeconds;
  row.requests += part.requests;
  row.nodeCost += part.nodeCost;
  row.directCost += part.directCost;
  row.idleCost += part.idleCost;
  row.idleSharedCost += part.idleSharedCost;
  row.overheadCost += part.overheadCost;
}

function sumNodeWindows(node: string, day: string | null, list: readonly NodeWindowRecord[]): NodeRow {
  const row = emptyNodeRow(node, day);
  for (const w of list) addNodePart(row, w, (w.end - w.start) / 1000, 1);
  row.utilization = row.seconds > 0 ? row.busySeconds / row.seconds : 0;
  return row;
}

function sumNodeRows(rows: readonly NodeRow[], node: string, day: string | null): NodeRow {
  const total = emptyNodeRow(node, day);
  for (const r of rows) addNodePart(total, r, r.seconds, r.windows);
  total.utilization = total.seconds > 0 ? total.busySeconds / total.seconds : 0;
  return total;
}
