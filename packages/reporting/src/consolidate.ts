import { type GpuConfig, type ResolvedGpuConfig, resolveGpuConfig } from '@costspan/allocation';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConsolidationReplay, type ScenarioResult } from './consolidation-replay.js';
import { InputError } from './input-error.js';

export interface ConsolidateOptions {
  /** The nodes to consolidate, in the order they are kept (onto k nodes: the first k). */
  nodes: readonly string[];
  /** Requests in flight each node may hold; default the highest peak observed on any of `nodes`. */
  maxConcurrency?: number;
  /** The `gpu` section of the configuration: exact hourly rates and the window. Default: measured from the store. */
  gpu?: unknown;
}

export interface ConsolidationResult {
  nodes: string[];
  /** Hourly rate of each node, USD, and where it came from. */
  rates: Array<{ node: string; hourlyRate: number; source: 'config' | 'store' }>;
  /** Highest number of requests in flight observed on each node. */
  observedPeaks: Record<string, number>;
  limit: number;
  scenarios: ScenarioResult[];
}

const list = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');

/**
 * Reads the requests served by `nodes` from `inference_spans` (streamed from DuckDB in start order), the nodes'
 * observed peak concurrency (a running sum over start/end events, in SQL) and, without a `gpu` configuration,
 * their hourly rates (node cost ÷ billed time of `gpu_node_windows`), then replays them (ConsolidationReplay).
 */
export async function consolidateNodes(
  connection: DuckDBConnection,
  options: ConsolidateOptions,
): Promise<ConsolidationResult> {
  const nodes = [...options.nodes];
  const peaksReader = await connection.runAndReadAll(
    `WITH events AS (
       SELECT gpu_node AS node, epoch_us(start_time) AS t, 1 AS d FROM inference_spans WHERE gpu_node IN (${list(nodes.length)})
       UNION ALL
       SELECT gpu_node, epoch_us(end_time), -1 FROM inference_spans WHERE gpu_node IN (${list(nodes.length)}))
     SELECT node, max(in_flight) AS peak FROM (
       SELECT node, sum(d) OVER (PARTITION BY node ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS in_flight FROM events)
     GROUP BY node`,
    nodes,
  );
  const observedPeaks: Record<string, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  for (const row of peaksReader.getRowObjectsJS()) observedPeaks[String(row.node)] = Number(row.peak);
  const missing = nodes.filter((n) => observedPeaks[n] === 0);
  if (missing.length === nodes.length) {
    throw new InputError(`no requests on ${nodes.join(', ')} in the store (spans carry the node as gpu_node)`);
  }

  let resolved: ResolvedGpuConfig;
  const rates: ConsolidationResult['rates'] = [];
  if (options.gpu !== undefined) {
    let full: ResolvedGpuConfig;
    try {
      full = resolveGpuConfig(options.gpu, '--config');
    } catch (error) {
      throw new InputError(error instanceof Error ? error.message : String(error));
    }
    const picked = nodes.map((id) => {
      const node = full.nodes.find((n) => n.id === id);
      if (!node) throw new InputError(`node ${id} is not in the gpu section of --config`);
      return node;
    });
    resolved = { ...full, nodes: picked, method: 'time', idle: 'separate', overhead: { kind: 'none' } };
    for (const n of picked) {
      rates.push({ node: n.id, hourlyRate: Number(n.hourlyRate.num) / Number(n.hourlyRate.den), source: 'config' });
    }
  } else {
    const reader = await connection.runAndReadAll(
      `SELECT node, CAST(sum(node_cost_nanos) AS VARCHAR) AS cost,
              sum(epoch_ms(window_end) - epoch_ms(window_start)) AS ms, min(epoch_ms(window_end) - epoch_ms(window_start)) AS w
       FROM gpu_node_windows WHERE node IN (${list(nodes.length)}) GROUP BY node`,
      nodes,
    );
    const measured = new Map<string, number>();
    let windowMs: number | undefined;
    for (const row of reader.getRowObjectsJS()) {
      const ms = Number(row.ms);
      if (ms > 0) measured.set(String(row.node), Number(((Number(row.cost) * 3_600) / ms / 1e6).toFixed(9)));
      if (row.w !== null) windowMs = Number(row.w);
    }
    const gpu: GpuConfig = {
      nodes: nodes.map((id) => {
        const rate = measured.get(id);
        if (rate === undefined || !(rate > 0)) {
          throw new InputError(`no node cost for ${id} in gpu_node_windows; give its hourlyRate with --config`);
        }
        rates.push({ node: id, hourlyRate: rate, source: 'store' });
        return { id, hourlyRate: rate };
      }),
      ...(windowMs === undefined ? {} : { window: windowMs }),
    };
    resolved = resolveGpuConfig(gpu, 'store');
  }

  const limit = options.maxConcurrency ?? Math.max(...Object.values(observedPeaks));
  const replay = new ConsolidationReplay(resolved, limit);
  const result = await connection.stream(
    `SELECT epoch_us(start_time) AS s, epoch_us(end_time) AS e, gpu_node AS node
     FROM inference_spans WHERE gpu_node IN (${list(nodes.length)})
     ORDER BY s, e, trace_id, span_id`,
    nodes,
  );
  for await (const rows of result.yieldRowsJs()) {
    for (const [s, e, node] of rows) replay.add({ startUs: Number(s), endUs: Number(e), node: String(node) });
  }
  return { nodes, rates, observedPeaks, limit, scenarios: replay.finish() };
}
