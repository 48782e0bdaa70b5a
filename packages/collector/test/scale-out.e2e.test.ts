import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { collectorConfigFromObject } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import { type SpanSpec, sendWithSdk } from './sdk-source.js';

const T0 = Date.UTC(2026, 9, 1, 12, 0, 0);
const NODES = ['gpu-a', 'gpu-b', 'gpu-c'];

function request(start: number, duration: number, tokens: number): SpanSpec {
  return {
    name: 'llm_request',
    start,
    end: start + duration,
    attributes: {
      'gen_ai.response.model': 'Qwen/Qwen2.5-7B-Instruct',
      'gen_ai.usage.prompt_tokens': tokens,
      'gen_ai.usage.completion_tokens': Math.floor(tokens / 3),
      'gen_ai.latency.time_in_queue': 0.001,
    },
  };
}

/** Deterministic traffic per node: overlapping requests spread over three minutes. */
function traffic(node: string): SpanSpec[] {
  const seed = node.charCodeAt(node.length - 1);
  return Array.from({ length: 40 }, (_, i) =>
    request(T0 + ((i * 4_100 + seed * 97) % 170_000), 1_000 + ((i * seed) % 9) * 700, 100 + i * seed),
  );
}

async function runCollector(storePath: string, nodes: string[]) {
  const config = collectorConfigFromObject({
    receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
    processors: { costspan: { window_grace: '10m', node_records: 'seen' } },
    exporters: { duckdb: { path: storePath } },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['duckdb'] } } },
    gpu: {
      idle: 'shared',
      overhead: { percent: 10 },
      nodes: NODES.map((id, i) => ({
        id,
        hourlyRate: 2.5 + i,
        startTime: T0,
        match: { resource: { 'host.name': id } },
      })),
    },
  });
  const collector = await startCollector(config, { stages: costStages(config), log: () => {}, tickMs: 3_600_000 });
  for (const node of nodes) await sendWithSdk(collector.url, 'protobuf', { 'host.name': node }, traffic(node));
  await collector.close();
}

async function totals(storePath: string) {
  const store = await DuckDbStore.open(storePath);
  try {
    const spans = await store.query(
      'SELECT gpu_node, count(*) AS n, sum(cost_nanos) AS cost, sum(cost_gpu_nanos) AS gpu, sum(cost_idle_nanos) AS idle, sum(cost_overhead_nanos) AS overhead, bool_and(allocation_final) AS final FROM inference_spans GROUP BY gpu_node ORDER BY gpu_node',
    );
    const windows = await store.query(
      'SELECT node, epoch_ms(window_start) AS ws, node_cost_nanos, direct_cost_nanos, idle_cost_nanos, idle_shared_cost_nanos, overhead_cost_nanos, requests FROM gpu_node_windows ORDER BY node, ws',
    );
    return { spans, windows };
  } finally {
    await store.close();
  }
}

describe('scaling out by GPU node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-scale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two collectors given disjoint node sets produce the same totals as one collector given all spans', async () => {
    await runCollector(join(dir, 'one.duckdb'), NODES);
    await runCollector(join(dir, 'left.duckdb'), ['gpu-a']);
    await runCollector(join(dir, 'right.duckdb'), ['gpu-b', 'gpu-c']);
    const one = await totals(join(dir, 'one.duckdb'));
    const left = await totals(join(dir, 'left.duckdb'));
    const right = await totals(join(dir, 'right.duckdb'));
    expect(one.spans).toHaveLength(3);
    expect(one.spans.every((r) => r.n === 40n && r.final === true)).toBe(true);
    expect([...left.spans, ...right.spans]).toEqual(one.spans);
    expect([...left.windows, ...right.windows]).toEqual(one.windows);
    // Every dollar of node time lands once: per node, requests plus the idle left on the node equal node cost.
    for (const node of NODES) {
      const w = one.windows.filter((r) => r.node === node);
      const nodeCost = w.reduce((s, r) => s + (r.node_cost_nanos as bigint), 0n);
      const idleLeft = w.reduce((s, r) => s + (r.idle_cost_nanos as bigint) - (r.idle_shared_cost_nanos as bigint), 0n);
      const spans = one.spans.find((r) => r.gpu_node === node)!;
      expect((spans.gpu as bigint) + (spans.idle as bigint) + idleLeft).toBe(nodeCost);
    }
  });
});
