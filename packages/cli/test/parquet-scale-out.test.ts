/**
 * Beyond one machine: three collectors, each pricing the spans of its own GPU node (as the OpenTelemetry
 * Collector's load-balancing exporter routes them by node) plus a share of the API traffic, export their stores
 * into one hive-partitioned Parquet directory; the report over that directory equals, to the nano-dollar, the
 * report of one collector that received everything.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../src/reporting/export-command.js';
import { runReconcileCommand } from '../src/reporting/reconcile-command.js';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { createStore, nodeAddress, octoberSpans, type SpanSpec, tempDir } from './helpers/store-fixture.js';

const NODES = ['gpu-a', 'gpu-b', 'gpu-c'];
/** The GPU config of a collector serving `nodes` (each collector knows its own group of nodes only). */
const gpu = (nodes: readonly string[]) => ({
  nodes: nodes.map((id) => ({
    id,
    hourlyRate: 2.49 + NODES.indexOf(id),
    startTime: '2026-10-01T00:00:00Z',
    match: { 'server.address': nodeAddress(id) },
  })),
  window: 60_000,
});

/** The October fixture plus a day of traffic on each node, with overlapping requests and idle gaps. */
function spans(): SpanSpec[] {
  const all = octoberSpans().spans;
  let n = 10_000;
  for (const [i, node] of NODES.entries()) {
    for (let k = 0; k < 12; k++) {
      n++;
      all.push({
        // The nodes' busy hours overlap and end together, as they do on a live clock.
        time: `2026-10-02T00:${String(k * 4 + i).padStart(2, '0')}:${String((k * 7) % 60).padStart(2, '0')}Z`,
        durationMs: 20_000 + k * 9_000 + (k === 11 ? (2 - i) * 60_000 : 0),
        traceId: n.toString(16).padStart(32, '0'),
        spanId: n.toString(16).padStart(16, '0'),
        provider: 'vllm',
        model: 'llama-3.1-8b',
        feature: k % 2 ? 'chat' : 'summarize',
        tenant: k % 3 ? 'acme' : 'globex',
        input: 300 + k,
        output: 100 + k,
        node,
      });
    }
  }
  return all;
}

let single: string;
let parquet: string;

beforeAll(async () => {
  const dir = tempDir();
  const everything = spans();
  single = join(dir, 'single.duckdb');
  await createStore(single, everything, gpu(NODES));
  parquet = join(dir, 'parquet');
  for (const [i, node] of NODES.entries()) {
    // Collector i: its node's spans and every third API span.
    const own = everything.filter((s, k) => (s.node ? s.node === node : k % 3 === i));
    const store = join(dir, `collector-${node}.duckdb`);
    await createStore(store, own, gpu([node]));
    const io = captureIo();
    expect(await runExportCommand(['--store', store, '--parquet', parquet], io)).toBe(0);
    expect(io.out()).toMatch(/^exported \d+ inference_spans, \d+ gpu_node_windows(, \d+ [a-z_]+)* to /);
  }
}, 120_000);

async function report(args: string[]): Promise<string> {
  const io = captureIo();
  const code = await runReportCommand(args, io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return io.out();
}

describe('three collectors on disjoint GPU nodes, one Parquet directory', () => {
  it('is partitioned by day and node', () => {
    const days = readdirSync(join(parquet, 'inference_spans')).sort();
    expect(days).toContain('day=2026-10-02');
    const nodes = readdirSync(join(parquet, 'inference_spans', 'day=2026-10-02')).sort();
    expect(nodes).toEqual(['node=api', 'node=gpu-a', 'node=gpu-b', 'node=gpu-c']);
    expect(readdirSync(join(parquet, 'gpu_node_windows', 'day=2026-10-02')).sort()).toEqual([
      'node=gpu-a',
      'node=gpu-b',
      'node=gpu-c',
    ]);
  });

  it.each([
    ['day,feature', []],
    ['node', []],
    ['tenant,model', ['--top', '5']],
    ['feature', ['--what-if', 'model=gpt-4o-mini']],
  ])('reports by %s exactly as the single collector does', async (by, extra) => {
    for (const format of ['json', 'table', 'csv']) {
      const args = ['--by', by, ...extra, '--format', format];
      const one = await report(['--store', single, ...args]);
      const many = await report(['--parquet', parquet, ...args]);
      expect(many).toBe(one);
    }
    const json = JSON.parse(await report(['--parquet', parquet, '--by', 'node', '--format', 'json']));
    expect(json.nodes.map((n: { node: string }) => n.node)).toEqual(NODES);
  });

  it('reconciles (dry run) exactly as the single collector does, and refuses to write adjustments there', async () => {
    const invoice = new URL('../../reporting/src/fixtures/focus-2026-10.csv', import.meta.url).pathname;
    const run = async (args: string[]) => {
      const io = captureIo();
      const code = await runReconcileCommand([...args, '--invoice', invoice, '--dry-run', '--format', 'json'], io);
      return { code, out: io.out(), err: io.err() };
    };
    const one = await run(['--store', single]);
    const many = await run(['--parquet', parquet]);
    expect(many).toEqual(one);
    expect(one.code).toBe(0);
    const io = captureIo();
    expect(await runReconcileCommand(['--parquet', parquet, '--invoice', invoice], io)).toBe(1);
    expect(io.err()).toMatch(/Parquet store is read-only/);
  });
});
