/**
 * Cost per request by component: the split of a request (a trace) into model tokens, GPU time, each cost-rule or
 * resource component and overhead, with exact amounts computed by hand from the rows below; `--by component`;
 * conservation; a store without the schema-2 tables (or with empty ones) reading exactly as before; the same
 * answer through Parquet and through a collector.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbStore, type InferenceSpanRow } from '@costspan/collector';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerCollectorQuery } from '../../reporting/src/backend.js';
import type { ReportData } from '../../reporting/src/report-data.js';
import { reportJson } from '../../reporting/src/report-render.js';
import { fromWire, toWire } from '../../reporting/src/wire.js';
import { runExportCommand } from '../src/reporting/export-command.js';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { addComponentRows, type ComponentSpanSpec } from './helpers/component-store.js';
import { spanRow } from './helpers/span-rows.js';
import { tempDir } from './helpers/store-fixture.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const D = 'd'.repeat(32);

let spanCount = 0;
function model(
  traceId: string,
  start: string,
  costNanos: number | null,
  label: { feature: string; tenant: string },
  extra: Partial<InferenceSpanRow> = {},
): InferenceSpanRow {
  spanCount += 1;
  return {
    ...spanRow({ start, costNanos, ...label }),
    traceId,
    spanId: `${spanCount}`.padStart(16, '0'),
    ...extra,
  };
}

/**
 * Four requests on 2026-11-02 (nano-dollars):
 *  A rag/acme:    model call 1,500,000 (API tokens) + vector search 80,000 (rule) + rerank 2,000,000 = 3,580,000
 *  B rag/globex:  self-hosted call 900,000 (gpu 600,000, shared idle 200,000, overhead 100,000)
 *                 + qdrant-pod share 50,000 (idle 10,000, overhead 5,000) + rerank 2,000,000          = 2,950,000
 *  C chat/acme:   model call 400,000 + web-search tool 10,000,000                                      = 10,400,000
 *  D chat/globex: unpriced model call + vector search 80,000                    (partly unknown, priced 80,000)
 * The vector search of A starts before any model span: an open range reaches it.
 */
const MODEL_SPANS = [
  model(A, '2026-11-02T10:00:00.000Z', 1_500_000, { feature: 'rag', tenant: 'acme' }),
  model(
    B,
    '2026-11-02T10:01:00.000Z',
    900_000,
    { feature: 'rag', tenant: 'globex' },
    {
      gpuNode: 'gpu-a',
      costGpuNanos: 600_000,
      costIdleNanos: 200_000,
      costOverheadNanos: 100_000,
    },
  ),
  model(C, '2026-11-02T10:02:00.000Z', 400_000, { feature: 'chat', tenant: 'acme' }),
  model(D, '2026-11-02T10:03:00.000Z', null, { feature: 'chat', tenant: 'globex' }),
];

const COMPONENT_SPANS: ComponentSpanSpec[] = [
  {
    traceId: A,
    spanId: 'a1'.padStart(16, '0'),
    start: '2026-11-02T09:59:59.900Z',
    feature: 'rag',
    tenant: 'acme',
    component: 'retrieval',
    rule: 'vector-search',
    costNanos: 80_000n,
  },
  {
    traceId: A,
    spanId: 'a2'.padStart(16, '0'),
    start: '2026-11-02T10:00:00.500Z',
    feature: 'rag',
    tenant: 'acme',
    component: 'rerank',
    rule: 'cohere-rerank',
    units: 1,
    costNanos: 2_000_000n,
  },
  {
    traceId: B,
    spanId: 'b1'.padStart(16, '0'),
    start: '2026-11-02T10:00:59.900Z',
    feature: 'rag',
    tenant: 'globex',
    component: 'retrieval',
    rule: 'qdrant-pod',
    kind: 'resource',
    costNanos: 50_000n,
    idleNanos: 10_000n,
    overheadNanos: 5_000n,
  },
  {
    traceId: B,
    spanId: 'b2'.padStart(16, '0'),
    start: '2026-11-02T10:01:00.500Z',
    feature: 'rag',
    tenant: 'globex',
    component: 'rerank',
    rule: 'cohere-rerank',
    units: 1,
    costNanos: 2_000_000n,
  },
  {
    traceId: C,
    spanId: 'c1'.padStart(16, '0'),
    start: '2026-11-02T10:02:00.500Z',
    feature: 'chat',
    tenant: 'acme',
    component: 'tool',
    rule: 'web-search',
    costNanos: 10_000_000n,
  },
  {
    traceId: D,
    spanId: 'd1'.padStart(16, '0'),
    start: '2026-11-02T10:02:59.900Z',
    feature: 'chat',
    tenant: 'globex',
    component: 'retrieval',
    rule: 'vector-search',
    costNanos: 80_000n,
  },
];

let dir: string;
let v1: string;
let emptyV2: string;
let store: string;

async function writeModelSpans(path: string): Promise<void> {
  const s = await DuckDbStore.open(path);
  try {
    await s.insertSpans(MODEL_SPANS);
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  dir = tempDir();
  v1 = join(dir, 'v1.duckdb');
  await writeModelSpans(v1);
  emptyV2 = join(dir, 'v2-empty.duckdb');
  copyFileSync(v1, emptyV2);
  await addComponentRows(emptyV2, []);
  store = join(dir, 'v2.duckdb');
  copyFileSync(v1, store);
  await addComponentRows(store, COMPONENT_SPANS, [
    {
      resource: 'qdrant-pod',
      component: 'retrieval',
      start: '2026-11-02T10:00:00Z',
      seconds: 60,
      costNanos: 1_620_000n,
      directNanos: 35_000n,
      idleNanos: 1_585_000n,
      idleSharedNanos: 10_000n,
      busySeconds: 0.05,
      requests: 1,
      method: 'requests',
    },
  ]);
}, 60_000);

async function report(args: string[]): Promise<string> {
  const io = captureIo();
  const code = await runReportCommand(args, io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return io.out();
}

const json = async (args: string[]) => JSON.parse(await report([...args, '--format', 'json']));

describe('cost per request by component', () => {
  it('splits each feature: tokens, GPU, each component, overhead; per request over fully priced requests', async () => {
    const out = await json(['--store', store, '--by', 'feature']);
    expect(out.split.by).toEqual(['feature']);
    expect(out.split.parts).toEqual(['tokens', 'gpu', 'tool', 'rerank', 'retrieval', 'overhead']);
    expect(out.split.rows).toEqual([
      {
        feature: 'chat',
        requests: 2,
        unpriced: 1,
        cost: '0.01048',
        costPerRequest: '0.0104',
        parts: { tokens: '0.0004', tool: '0.01', retrieval: '0.00008' },
        // D is partly unknown: only C is a fully priced request.
        partsPerRequest: { tokens: '0.0004', tool: '0.01', retrieval: '0.00' },
      },
      {
        feature: 'rag',
        requests: 2,
        unpriced: 0,
        cost: '0.00653',
        costPerRequest: '0.003265',
        parts: { tokens: '0.0015', gpu: '0.0006', rerank: '0.004', retrieval: '0.000115', overhead: '0.000315' },
        partsPerRequest: {
          tokens: '0.00075',
          gpu: '0.0003',
          rerank: '0.002',
          retrieval: '0.0000575',
          overhead: '0.0001575',
        },
      },
    ]);
    expect(out.split.total).toEqual({
      requests: 4,
      unpriced: 1,
      cost: '0.01701',
      // (3,580,000 + 2,950,000 + 10,400,000) / 3 = 5,643,333.3 → 5,643,333
      costPerRequest: '0.005643333',
      parts: {
        tokens: '0.0019',
        gpu: '0.0006',
        tool: '0.01',
        rerank: '0.004',
        retrieval: '0.000195',
        overhead: '0.000315',
      },
      // 5,643,333 split by largest remainder over 1.9 M, 0.6 M, 10 M, 4 M, 115 k, 315 k (A, B, C): Σ = mean.
      partsPerRequest: {
        tokens: '0.000633333',
        gpu: '0.0002',
        tool: '0.003333333',
        rerank: '0.001333333',
        retrieval: '0.000038334',
        overhead: '0.000105',
      },
    });
    // The span rollup is unchanged: model spans only, by feature.
    expect(out.rows.map((r: { feature: string; cost: string }) => [r.feature, r.cost])).toEqual([
      ['rag', '0.0024'],
      ['chat', '0.0004'],
    ]);
    // The open range reached the vector search that starts before the first model call.
    expect(out.from).toBe('2026-11-02T09:59:59.900Z');
  });

  it('--by component: one line per part, requests that have it, cost per such request', async () => {
    const out = await json(['--store', store, '--by', 'component']);
    expect(out.by).toEqual([]);
    const rows = out.split.rows.map((r: Record<string, unknown>) => [
      r.component,
      r.requests,
      r.unpriced,
      r.cost,
      r.costPerRequest,
    ]);
    expect(rows).toEqual([
      ['tool', 1, 0, '0.01', '0.01'],
      ['rerank', 2, 0, '0.004', '0.002'],
      ['tokens', 4, 1, '0.0019', '0.000633333'],
      ['gpu', 1, 0, '0.0006', '0.0006'],
      ['overhead', 1, 0, '0.000315', '0.000315'],
      ['retrieval', 3, 1, '0.000195', '0.0000575'],
    ]);
    expect(out.split.total.cost).toBe('0.01701');
    expect(out.split.total.requests).toBe(4);
    const table = await report(['--store', store, '--by', 'component']);
    expect(table).toContain('Cost per request by component by component (a request = a trace)');
    expect(table).toMatch(/^tool\s+1\s+\$0\.0100\s+\$0\.0100\s+58\.8%$/m);
    expect(table).toMatch(/^retrieval\s+3\s+1\s+\$0\.000195\s+\$0\.000058\s+1\.1%$/m);
    expect(table).toMatch(/^TOTAL\s+4\s+1\s+\$0\.0170\s+\$0\.005643\s+100\.0%$/m);
    // The span rollup without a dimension: its total line once.
    expect(table.match(/\$0\.002800/g)).toHaveLength(1);
  });

  it('conserves: the parts of each request sum to its cost, and to the stored totals', async () => {
    // By feature and tenant every group is one request.
    const out = await json(['--store', store, '--by', 'feature,tenant']);
    const nanos = (usd: string) => {
      const [w, f = ''] = usd.split('.');
      return BigInt(w!) * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
    };
    const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
    const c = await instance.connect();
    try {
      const reader = await c.runAndReadAll(
        `SELECT feature, tenant, sum(cost) AS cost FROM (
           SELECT feature, tenant, cost_nanos AS cost FROM inference_spans WHERE pricing_status <> 'unpriced'
           UNION ALL SELECT feature, tenant, cost_nanos FROM component_spans) GROUP BY ALL`,
      );
      const stored = new Map(reader.getRowObjects().map((r) => [`${r.feature}/${r.tenant}`, BigInt(String(r.cost))]));
      expect(out.split.rows).toHaveLength(4);
      for (const row of out.split.rows) {
        const parts = Object.values(row.parts as Record<string, string>).reduce((a, v) => a + nanos(v), 0n);
        expect(parts).toBe(nanos(row.cost));
        expect(parts).toBe(stored.get(`${row.feature}/${row.tenant}`));
        if (row.costPerRequest !== null) {
          const perRequest = Object.values(row.partsPerRequest as Record<string, string>);
          expect(perRequest.reduce((a, v) => a + nanos(v), 0n)).toBe(nanos(row.costPerRequest));
        }
      }
      const total = Object.values(out.split.total.parts as Record<string, string>).reduce((a, v) => a + nanos(v), 0n);
      expect(total).toBe([...stored.values()].reduce((a, v) => a + v, 0n));
      expect(total).toBe(17_010_000n);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });

  it('prints the split per request and the shared resources in the table, and part lines in CSV', async () => {
    const table = await report(['--store', store, '--by', 'feature']);
    expect(table).toContain('Cost per request by component by feature (a request = a trace)');
    expect(table).toMatch(
      /^feature\s+requests\s+unpriced\s+cost\s+per request\s+tokens\s+gpu\s+tool\s+rerank\s+retrieval\s+overhead$/m,
    );
    expect(table).toMatch(
      /^rag\s+2\s+\$0\.006530\s+\$0\.003265\s+\$0\.000750\s+\$0\.000300\s+\$0\s+\$0\.002000\s+\$0\.000058\s+\$0\.000158$/m,
    );
    expect(table).toContain('Shared resources');
    expect(table).toMatch(
      /^qdrant-pod\s+retrieval\s+requests\s+0\.1%\s+1\s+\$0\.001620\s+\$0\.000035\s+\$0\.001585\s+97\.8%$/m,
    );
    const csv = await report(['--store', store, '--by', 'feature', '--format', 'csv']);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]!.endsWith(',overhead_cost_usd,part,part_cost_usd')).toBe(true);
    const width = lines[0]!.split(',').length;
    const cells = (kind: string, part: string) =>
      lines.map((l) => l.split(',')).find((c) => c[0] === kind && c[width - 2] === part && c.length === width);
    expect(cells('part', 'rerank')?.filter(Boolean)).toEqual(['part', 'rag', '2', '0', 'rerank', '0.004']);
    expect(cells('part_total', 'tool')?.filter(Boolean)).toEqual(['part_total', '4', '1', 'tool', '0.01']);
    expect(lines.filter((l) => l.startsWith('part'))).toHaveLength(3 + 5 + 6);
    const out = await json(['--store', store, '--by', 'feature']);
    expect(out.resources).toEqual([
      {
        resource: 'qdrant-pod',
        component: 'retrieval',
        method: 'requests',
        windows: 1,
        seconds: 60,
        busySeconds: 0.05,
        utilization: 0.000833,
        requests: 1,
        resourceCost: '0.00162',
        directCost: '0.000035',
        idleCost: '0.001585',
        idleSharedCost: '0.00001',
        overheadCost: '0.00',
      },
    ]);
  });

  it('reads a store without the schema-2 tables, or with empty ones, exactly as before', async () => {
    for (const args of [['--by', 'feature'], ['--by', 'day,tenant', '--top', '3'], []]) {
      for (const format of ['json', 'table', 'csv', 'html']) {
        const before = await report(['--store', v1, ...args, '--format', format]);
        const empty = await report(['--store', emptyV2, ...args, '--format', format]);
        expect(empty).toBe(before);
        expect(before).not.toContain('"split"');
        expect(before).not.toContain('by component');
        expect(before).not.toContain('feature-parts');
      }
    }
    // --by component on a version-1 store: the model parts alone.
    const out = await json(['--store', v1, '--by', 'component']);
    expect(out.split.parts).toEqual(['tokens', 'gpu', 'overhead']);
    expect(out.split.total.cost).toBe('0.0028');
    expect(out.resources).toBeUndefined();
  });

  it('answers the same through Parquet (costspan export) and through a collector', async () => {
    const expected = await report(['--store', store, '--by', 'feature,component', '--format', 'json']);
    const parquet = join(dir, 'parquet');
    const io = captureIo();
    expect(await runExportCommand(['--store', store, '--parquet', parquet], io)).toBe(0);
    expect(io.out()).toContain('6 component_spans, 1 resource_windows');
    expect(readdirSync(join(parquet, 'component_spans'))).toEqual(['day=2026-11-02']);
    expect(readdirSync(join(parquet, 'resource_windows', 'day=2026-11-02'))).toEqual(['resource=qdrant-pod']);
    expect(await report(['--parquet', parquet, '--by', 'feature,component', '--format', 'json'])).toBe(expected);

    const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
    const c = await instance.connect();
    try {
      const answer = await answerCollectorQuery(
        c,
        toWire({ kind: 'report', request: { dimensions: ['feature', 'component'] } }),
      );
      expect(answer.status).toBe(200);
      expect(reportJson(fromWire<ReportData>(answer.body))).toBe(expected);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});
