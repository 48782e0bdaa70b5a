import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUsd } from '@costspan/pricing';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runReconcileCommand } from '../src/reporting/reconcile-command.js';
import { captureIo } from './helpers/capture-io.js';
import { createStore, octoberSpans, tempDir } from './helpers/store-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../reporting/src/fixtures/${name}`, import.meta.url));

async function freshStore(): Promise<string> {
  const path = join(tempDir(), 'costspan.duckdb');
  const { spans } = octoberSpans();
  await createStore(path, spans);
  return path;
}

async function reconcileJson(store: string, args: string[]) {
  const io = captureIo();
  const code = await runReconcileCommand(['--store', store, ...args, '--format', 'json'], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out());
}

async function query(store: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const rows = (await c.runAndReadAll(sql)).getRowObjects();
  c.closeSync();
  instance.closeSync();
  return rows;
}

/** Σ estimates + Σ adjustments for the October spans of a provider, from the store itself. */
async function adjustedProviderTotal(store: string, provider: string): Promise<bigint> {
  const [row] = await query(
    store,
    `SELECT (SELECT coalesce(sum(cost_nanos), 0) FROM inference_spans WHERE provider = '${provider}' AND gpu_node IS NULL
               AND pricing_status <> 'unpriced' AND start_time >= '2026-10-01' AND start_time < '2026-11-01')
          + (SELECT coalesce(sum(amount_nanos), 0) FROM costspan_adjustments WHERE period = '2026-10' AND provider = '${provider}')
          AS total`,
  );
  return BigInt(String(row!.total));
}

const OPENAI_INVOICE = {
  object: 'page',
  data: [
    {
      start_time: 1790812800, // 2026-10-01
      end_time: 1790899200,
      results: [
        { amount: { value: 0.0099, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'p' },
        { amount: { value: 0.0153, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, output', project_id: 'p' },
        { amount: { value: 0.0126, currency: 'usd' }, line_item: 'gpt-4o-mini-2024-07-18, output', project_id: 'p' },
        { amount: { value: 0.0001, currency: 'usd' }, line_item: 'mystery-model, input', project_id: 'p' },
      ],
    },
    {
      start_time: 1790899200, // 2026-10-02
      end_time: 1790985600,
      results: [
        { amount: { value: 0.02175, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'p' },
      ],
    },
  ],
  has_more: false,
};

describe('costspan reconcile', () => {
  it('reconciles an OpenAI costs export: variance, k, flags, exact adjustments, idempotent re-run', async () => {
    const store = await freshStore();
    const invoice = join(tempDir(), 'openai-costs.json');
    writeFileSync(invoice, JSON.stringify(OPENAI_INVOICE, null, 2));
    const result = await reconcileJson(store, ['--invoice', invoice, '--period', '2026-10', '--threshold', '5%']);
    expect(result.period).toBe('2026-10');
    expect(result.rows).toEqual([
      // 3 × $0.00725 estimated, $0.0252 billed
      {
        day: '2026-10-01',
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        node: null,
        estimate: '0.02175',
        actual: '0.0252',
        variance: '0.00345',
        k: 1.158621,
        flagged: true,
      },
      {
        day: '2026-10-01',
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        node: null,
        estimate: '0.0126',
        actual: '0.0126',
        variance: '0.00',
        k: 1,
        flagged: false,
      },
      {
        day: '2026-10-01',
        provider: 'openai',
        model: 'mystery-model',
        node: null,
        estimate: '0.00',
        actual: '0.0001',
        variance: '0.0001',
        k: null,
        flagged: true,
      },
      {
        day: '2026-10-02',
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        node: null,
        estimate: '0.02175',
        actual: '0.02175',
        variance: '0.00',
        k: 1,
        flagged: false,
      },
    ]);
    expect(result.totals).toEqual({ estimate: '0.0561', actual: '0.05965', adjusted: '0.05965' });
    expect(await adjustedProviderTotal(store, 'openai')).toBe(parseUsd('0.05965'));
    const before = await query(store, 'SELECT count(*) AS n, sum(amount_nanos)::BIGINT AS s FROM costspan_adjustments');

    // Re-running with the same invoice replaces its adjustments: same rows, same sums.
    const again = await reconcileJson(store, ['--invoice', invoice, '--period', '2026-10']);
    expect(again).toEqual(result);
    expect(
      await query(store, 'SELECT count(*) AS n, sum(amount_nanos)::BIGINT AS s FROM costspan_adjustments'),
    ).toEqual(before);
    expect(await adjustedProviderTotal(store, 'openai')).toBe(parseUsd('0.05965'));
    // The estimates themselves are never overwritten.
    const [spanSum] = await query(
      store,
      "SELECT sum(cost_nanos)::BIGINT AS s FROM inference_spans WHERE provider = 'openai'",
    );
    expect(spanSum!.s).toBe(21_750_000n * 2n + 12_600_000n + 2n * 3_500_000n);

    const table = captureIo();
    expect(await runReconcileCommand(['--store', store, '--invoice', invoice], table)).toBe(0);
    expect(table.out()).toMatch(/mystery-model.*FLAG: unpriced spans in the store \(1\)/);
    expect(table.out()).toMatch(/gpt-4o-2024-08-06.*1\.159\s+FLAG/);
  });

  it('reconciles an Anthropic cost report in cents and names the batch discount', async () => {
    const store = await freshStore();
    const invoice = join(tempDir(), 'anthropic.json');
    // Estimate: 2 × (2000 × $3/M + 300 × $15/M) = $0.021 = 2.1 cents; billed at batch (50 %): 1.05 cents.
    writeFileSync(
      invoice,
      JSON.stringify({
        data: [
          {
            starting_at: '2026-10-01T00:00:00Z',
            ending_at: '2026-10-02T00:00:00Z',
            results: [
              {
                currency: 'USD',
                amount: '0.6',
                model: 'claude-sonnet-4-20250514',
                cost_type: 'tokens',
                token_type: 'uncached_input_tokens',
                service_tier: 'batch',
                context_window: '0-200k',
              },
              {
                currency: 'USD',
                amount: '0.45',
                model: 'claude-sonnet-4-20250514',
                cost_type: 'tokens',
                token_type: 'output_tokens',
                service_tier: 'batch',
                context_window: '0-200k',
              },
            ],
          },
        ],
        has_more: false,
      }),
    );
    const result = await reconcileJson(store, ['--invoice', invoice, '--invoice-format', 'anthropic-cost-report']);
    expect(result.rows).toEqual([
      {
        day: '2026-10-01',
        provider: 'anthropic',
        model: 'claude-sonnet-4-20250514',
        node: null,
        estimate: '0.021',
        actual: '0.0105',
        variance: '-0.0105',
        k: 0.5,
        flagged: true,
      },
    ]);
    expect(result.totals).toEqual({ estimate: '0.021', actual: '0.0105', adjusted: '0.0105' });
    expect(await adjustedProviderTotal(store, 'anthropic')).toBe(10_500_000n);
    const table = captureIo();
    await runReconcileCommand(['--store', store, '--invoice', invoice, '--dry-run'], table);
    expect(table.out()).toMatch(/batch discount not in the estimate/);
  });

  it('reconciles a FOCUS export against GPU node windows with BilledCost, or EffectiveCost on request', async () => {
    const store = await freshStore();
    const billed = await reconcileJson(store, ['--invoice', fixture('focus-2026-10.csv')]);
    const node = billed.rows.find((r: { node: string | null }) => r.node === 'gpu-a');
    // one 60 s window at $2.49/h = $0.0415 estimated; $24.00 billed for the day
    expect(node).toEqual({
      day: '2026-10-01',
      provider: null,
      model: null,
      node: 'gpu-a',
      estimate: '0.0415',
      actual: '24.00',
      variance: '23.9585',
      k: 578.313253,
      flagged: true,
    });
    expect(billed.totals.adjusted).toBe(billed.totals.actual);
    const windows = await query(
      store,
      "SELECT window_start_ms, amount_nanos FROM costspan_adjustments WHERE node = 'gpu-a' ORDER BY 1",
    );
    expect(windows.map((w) => w.amount_nanos)).toEqual([23_958_500_000n]);

    const effective = await reconcileJson(store, [
      '--invoice',
      fixture('focus-2026-10.csv'),
      '--cost-column',
      'EffectiveCost',
    ]);
    expect(effective.rows.find((r: { node: string | null }) => r.node === 'gpu-a').actual).toBe('20.00');
    // A different cost column is a different import of the same scope: it replaces the BilledCost adjustments.
    const [sum] = await query(
      store,
      "SELECT sum(amount_nanos)::BIGINT AS s FROM costspan_adjustments WHERE node = 'gpu-a'",
    );
    expect(sum!.s).toBe(parseUsd('20.00') - parseUsd('0.0415'));
  });

  it('reports malformed invoice rows by line and imports nothing', async () => {
    const store = await freshStore();
    const io = captureIo();
    expect(await runReconcileCommand(['--store', store, '--invoice', fixture('focus-malformed.csv')], io)).toBe(1);
    expect(io.err()).toMatch(/3 malformed row\(s\); nothing was imported/);
    expect(io.err()).toMatch(/line 3: BilledCost/);
    expect(io.err()).toMatch(/line 4: ChargePeriodStart/);
    expect(io.err()).toMatch(/line 5: BillingCurrency EUR/);
    const tables = await query(
      store,
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'costspan_adjustments'",
    );
    expect(tables[0]!.n).toBe(0n);
  });

  it('rejects bad flags with exit code 2 and a missing store with a message', async () => {
    const store = await freshStore();
    const bad = captureIo();
    expect(await runReconcileCommand(['--store', store, '--invoice', 'x', '--threshold', 'lots'], bad)).toBe(2);
    expect(bad.err()).toMatch(/--threshold must be a percentage/);
    expect(await runReconcileCommand(['--store', store], captureIo())).toBe(2);
    const missing = captureIo();
    expect(await runReconcileCommand(['--store', join(tempDir(), 'none.duckdb'), '--invoice', 'x'], missing)).toBe(1);
    expect(missing.err()).toMatch(/store not found/);
  });
});
