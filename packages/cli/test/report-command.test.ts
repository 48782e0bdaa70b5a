import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PriceBook } from '@costspan/pricing';
import { parseUsd } from '@costspan/pricing';
import { DIMENSIONS } from '@costspan/reporting';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../reporting/src/csv.js';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { createStore, octoberSpans, tempDir } from './helpers/store-fixture.js';

let store: string;
let book: PriceBook;
const { spans } = octoberSpans();

async function report(args: string[], isTTY = false) {
  const io = captureIo(isTTY);
  const code = await runReportCommand(['--store', store, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function json(args: string[]) {
  const r = await report([...args, '--format', 'json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

async function storeQuery(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const rows = (await c.runAndReadAll(sql)).getRowObjectsJS();
  c.closeSync();
  instance.closeSync();
  return rows;
}

async function storeSum(from: string, to: string): Promise<{ cost: bigint; requests: number }> {
  const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const reader = await c.runAndReadAll(
    `SELECT coalesce(sum(cost_nanos) FILTER (WHERE pricing_status <> 'unpriced'), 0)::BIGINT AS cost, count(*) AS n
     FROM inference_spans WHERE start_time >= $1::TIMESTAMP AND start_time < $2::TIMESTAMP`,
    [from, to],
  );
  const row = reader.getRowObjects()[0]!;
  c.closeSync();
  instance.closeSync();
  return { cost: row.cost as bigint, requests: Number(row.n) };
}

beforeAll(async () => {
  store = join(tempDir(), 'costspan.duckdb');
  book = await createStore(store, spans);
});

describe('costspan report', () => {
  it('rollups by every dimension equal the sum of the stored rows', async () => {
    const expected = await storeSum('2026-10-01', '2026-11-01');
    for (const dimension of DIMENSIONS) {
      const data = await json(['--by', dimension, '--from', '2026-10-01', '--to', '2026-10-31']);
      const rowSum = data.rows.reduce((a: bigint, r: { cost: string }) => a + parseUsd(r.cost), 0n);
      expect(rowSum, dimension).toBe(expected.cost);
      expect(parseUsd(data.total.cost)).toBe(expected.cost);
      expect(data.rows.reduce((a: number, r: { requests: number }) => a + r.requests, 0)).toBe(expected.requests);
      for (const component of ['input', 'output', 'cacheRead', 'gpu']) {
        const sum = data.rows.reduce(
          (a: bigint, r: { components: Record<string, string> }) => a + parseUsd(r.components[component]),
          0n,
        );
        expect(sum, `${dimension} ${component}`).toBe(parseUsd(data.total.components[component]));
      }
    }
    const twoWay = await json(['--by', 'day,feature', '--from', '2026-10-01', '--to', '2026-10-31']);
    expect(twoWay.rows.reduce((a: bigint, r: { cost: string }) => a + parseUsd(r.cost), 0n)).toBe(expected.cost);
  });

  it('computes mean, p50 and p95 per request on known data and counts unpriced spans apart', async () => {
    const data = await json(['--by', 'feature', '--from', '2026-10-01', '--to', '2026-10-31']);
    const percentiles = data.rows.find((r: { feature: string }) => r.feature === 'percentiles');
    // costs are k × $0.00006 for k = 1..20
    expect(percentiles.costPerRequest).toEqual({ mean: '0.00063', p50: '0.0006', p95: '0.00114' });
    const chat = data.rows.find((r: { feature: string }) => r.feature === 'chat');
    expect(chat.unpriced).toBe(1);
    expect(chat.requests).toBe(6);
  });

  it('shows GPU nodes with utilization and idle cost as their own lines', async () => {
    const data = await json(['--by', 'node', '--from', '2026-10-01', '--to', '2026-10-31']);
    // one 60 s window at $2.49/h, busy 30 s (three 10 s requests): half direct, half idle
    expect(data.nodes).toEqual([
      expect.objectContaining({
        node: 'gpu-a',
        utilization: 0.5,
        requests: 3,
        nodeCost: '0.0415',
        directCost: '0.02075',
        idleCost: '0.02075',
      }),
    ]);
    const table = await report(['--by', 'node', '--from', '2026-10-01', '--to', '2026-10-31']);
    expect(table.out).toMatch(/GPU nodes[\s\S]*gpu-a\s+50\.0%/);
  });

  it('finds the most expensive requests with trace ids and the features whose cost per request rose', async () => {
    const data = await json(['--top', '3', '--by', 'feature', '--from', '2026-10-01', '--to', '2026-10-31']);
    const [expected] = await storeQuery(
      `SELECT list(trace_id ORDER BY cost_nanos DESC, start_time, trace_id)[1:3] AS ids FROM inference_spans
       WHERE cost_nanos IS NOT NULL AND start_time >= '2026-10-01'`,
    );
    expect(data.top.map((t: { traceId: string }) => t.traceId)).toEqual(expected!.ids);
    expect(data.top.map((t: { feature: string; cost: string }) => [t.feature, t.cost])).toEqual([
      ['chat', '0.0105'],
      ['chat', '0.0105'],
      ['summarize', '0.00725'],
    ]);
    expect(data.rising.by).toBe('feature');
    expect(data.rising.rows[0]).toMatchObject({ key: 'summarize', mean: '0.00725', previousMean: '0.0035' });
  });

  it('reprices the selected requests on another model exactly as the price book does, summed', async () => {
    const data = await json([
      '--what-if',
      'model=gpt-4o-mini,provider=openai',
      '--where',
      'feature=summarize',
      '--by',
      'feature',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
    ]);
    const selected = spans.filter((s) => s.feature === 'summarize' && s.time.startsWith('2026-10'));
    let expectedWhatIf = 0n;
    let expectedActual = 0n;
    for (const s of selected) {
      const r = book.price({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: { inputTokens: s.input, outputTokens: s.output, cacheReadTokens: s.cacheRead ?? 0, cacheWriteTokens: 0 },
        timestamp: Date.parse(s.time),
      });
      if (r.status === 'unpriced') throw new Error('gpt-4o-mini must be priced');
      expectedWhatIf += BigInt(r.nanos.amount);
      expectedActual += priced(s)!;
    }
    expect(data.whatIf.total.requests).toBe(6);
    expect(parseUsd(data.whatIf.total.whatIf)).toBe(expectedWhatIf);
    expect(parseUsd(data.whatIf.total.actual)).toBe(expectedActual);
    expect(parseUsd(data.whatIf.total.saving)).toBe(expectedActual - expectedWhatIf);

    const capped = await json(['--what-if', 'max-output=100', '--where', 'feature=percentiles', '--by', 'feature']);
    // 20 requests at 100..2000 output tokens capped to 100 → 20 × $0.00006
    expect(capped.whatIf.total.whatIf).toBe('0.0012');
    const cache = await json(['--what-if', 'cache-hit=25%', '--where', 'feature=percentiles', '--by', 'feature']);
    expect(cache.whatIf.total).toMatchObject({ actual: '0.0126', whatIf: '0.00945', saving: '0.00315' });
  });

  it('adds margin per feature and tenant from a revenue file and marks the unprofitable', async () => {
    const dir = tempDir();
    const csv = join(dir, 'revenue.csv');
    writeFileSync(csv, 'feature,tenant,revenue\npercentiles,,1.00\nsummarize,,0.01\n,acme,0.50\n');
    const data = await json(['--revenue', csv, '--from', '2026-10-01', '--to', '2026-10-31']);
    const summarize = data.margin.byFeature.find((r: { key: string }) => r.key === 'summarize');
    // six gpt-4o requests at $0.00725 = $0.0435 cost against $0.01 revenue
    expect(summarize).toMatchObject({ revenue: '0.01', cost: '0.0435', margin: '-0.0335', unprofitable: true });
    expect(data.margin.byFeature.find((r: { key: string }) => r.key === 'percentiles').unprofitable).toBe(false);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[\n {"trace_id": "x", "revenue": 1.5},\n {"revenue": 2}\n]');
    const r = await report(['--revenue', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3: needs trace_id, feature or tenant/);
  });

  it('writes CSV whose rows sum to the total', async () => {
    const r = await report(['--by', 'tenant', '--format', 'csv', '--from', '2026-10-01', '--to', '2026-10-31']);
    const records = parseCsv(r.out);
    const header = records[0]!.fields;
    const cost = header.indexOf('cost_usd');
    const rows = records.filter((x) => x.fields[0] === 'row');
    const total = records.find((x) => x.fields[0] === 'total')!;
    expect(rows.reduce((a, x) => a + parseUsd(x.fields[cost]!), 0n)).toBe(parseUsd(total.fields[cost]!));
    expect(records.some((x) => x.fields[0] === 'node')).toBe(true);
  });

  it('gives clear messages for a missing store, an empty range and bad flags', async () => {
    const missing = captureIo();
    expect(await runReportCommand(['--store', join(tempDir(), 'nope.duckdb')], missing)).toBe(1);
    expect(missing.err()).toMatch(/^error: store not found: .*nope\.duckdb/);
    const empty = await report(['--from', '2025-01-01', '--to', '2025-01-31']);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/no inference spans or node windows between 2025-01-01T00:00:00.000Z and 2025-02-01/);
    expect(empty.err).not.toMatch(/\n\s+at /);
    expect((await report(['--by', 'colour'])).code).toBe(2);
    expect((await report(['--format', 'pdf'])).err).toMatch(/--format must be one of table, csv, json, html/);
    expect((await report(['--bogus'])).code).toBe(2);
    expect((await report(['--what-if', 'model='])).code).toBe(2);
  });

  it('shows progress on a terminal and stays quiet when piped', async () => {
    const tty = await report(['--format', 'json'], true);
    expect(tty.err).toMatch(/reading spans \d+\/\d+ \(100%\)/);
    const piped = await report(['--format', 'json'], false);
    expect(piped.err).toBe('');
  });
});

function priced(s: (typeof spans)[number]): bigint | null {
  const r = book.price({
    provider: s.provider,
    model: s.model,
    usage: { inputTokens: s.input, outputTokens: s.output, cacheReadTokens: s.cacheRead ?? 0 },
    timestamp: Date.parse(s.time),
  });
  return r.status === 'unpriced' ? null : BigInt(r.nanos.amount);
}
