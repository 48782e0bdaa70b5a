/**
 * Golden outputs: every report and reconcile output, byte for byte, on the collector-filled fixture store and on a
 * larger synthetic store (ties, unpriced and partial rows, missing labels, long-context and service tiers, GPU
 * nodes). The files under test/golden/ were written by the reports as they were before the engine rewrite; any
 * change to an output shows up here.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReconcileCommand } from '../src/reporting/reconcile-command.js';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { createStore, octoberSpans, tempDir } from './helpers/store-fixture.js';
import { writeSyntheticStore } from './helpers/synthetic-store.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../reporting/src/fixtures/${name}`, import.meta.url));
const golden = (name: string) => `./golden/${name}.txt`;

let dir: string;
let octoberStore: string;
let syntheticStore: string;
let revenueCsv: string;

const chartSource = (() => {
  const require = createRequire(import.meta.url);
  const root = dirname(dirname(require.resolve('chart.js')));
  return readFileSync(join(root, 'dist', 'chart.umd.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
})();

beforeAll(async () => {
  dir = tempDir();
  octoberStore = join(dir, 'october.duckdb');
  await createStore(octoberStore, octoberSpans().spans);
  syntheticStore = join(dir, 'synthetic.duckdb');
  await writeSyntheticStore(syntheticStore, { rows: 3000, days: 12 });
  revenueCsv = join(dir, 'revenue.csv');
  writeFileSync(
    revenueCsv,
    [
      'trace_id,feature,tenant,revenue',
      ',percentiles,,1.00',
      ',summarize,,0.01',
      ',,acme,0.50',
      `${'1'.padStart(32, '0')},,,0.25`,
      `${'a'.padStart(32, '0')},,,3.5`,
      ',feature-03,,12.5',
      ',,tenant-007,0.75',
      'ffffffffffffffffffffffffffffffff,,,9',
    ].join('\n'),
  );
}, 120_000);

async function report(store: string, args: string[]): Promise<string> {
  const io = captureIo();
  const code = await runReportCommand(['--store', store, ...args], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return io.out();
}

const REPORTS: [string, string[]][] = [
  ['day', []],
  ['feature', ['--by', 'feature']],
  ['tenant', ['--by', 'tenant']],
  ['model', ['--by', 'model']],
  ['provider', ['--by', 'provider']],
  ['node', ['--by', 'node']],
  ['service', ['--by', 'service']],
  ['day-feature', ['--by', 'day,feature']],
  ['tenant-model-range', ['--by', 'tenant,model', '--from', '2026-10-02', '--to', '2026-10-02']],
  ['top', ['--by', 'feature', '--top', '7', '--from', '2026-10-02', '--to', '2026-10-08']],
  ['top-day-model', ['--by', 'day,model', '--top', '5', '--from', '2026-10-01T12:00:00Z']],
  ['whatif-model', ['--what-if', 'model=gpt-4o-mini,provider=openai', '--by', 'feature']],
  ['whatif-model-where', ['--what-if', 'model=claude-sonnet-4', '--where', 'provider=openai', '--by', 'model,day']],
  ['whatif-gemini', ['--what-if', 'model=gemini-2.5-pro', '--by', 'node']],
  ['whatif-max-output', ['--what-if', 'max-output=300', '--by', 'model']],
  ['whatif-max-output-where', ['--what-if', 'max-output=50', '--where', 'feature=chat', '--by', 'tenant']],
  ['whatif-cache-hit', ['--what-if', 'cache-hit=25%', '--by', 'feature']],
  ['whatif-cache-hit-fraction', ['--what-if', 'cache-hit=0.333', '--by', 'service']],
];

const FORMATS = ['json', 'table', 'csv'] as const;

describe.each([
  ['october', () => octoberStore],
  ['synthetic', () => syntheticStore],
])('golden reports on the %s store', (name, store) => {
  it.each(REPORTS)('%s', async (label, args) => {
    for (const format of FORMATS) {
      const out = await report(store(), [...args, '--format', format]);
      await expect(out).toMatchFileSnapshot(golden(`${name}-report-${label}.${format}`));
    }
  });

  it('margin', async () => {
    for (const format of FORMATS) {
      const out = await report(store(), ['--by', 'feature', '--revenue', revenueCsv, '--format', format]);
      await expect(out).toMatchFileSnapshot(golden(`${name}-report-margin.${format}`));
    }
  });

  it('html', async () => {
    const out = join(dir, `${name}.html`);
    const io = captureIo();
    expect(
      await runReportCommand(['--store', store(), '--by', 'day,feature', '--format', 'html', '--out', out], io),
    ).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.includes(chartSource)).toBe(true);
    await expect(text.replace(chartSource, '/* chart.js */')).toMatchFileSnapshot(golden(`${name}-report.html`));
  });

  it.each([
    ['focus', ['--invoice', fixture('focus-2026-10.csv')]],
    ['focus-effective', ['--invoice', fixture('focus-2026-10.csv'), '--cost-column', 'EffectiveCost']],
    ['openai', ['--invoice', fixture('openai-costs-2026-10.json'), '--threshold', '2%']],
    ['anthropic', ['--invoice', fixture('anthropic-cost-report-2026-10.json'), '--period', '2026-10-01..2026-10-20']],
  ])('reconcile %s', async (label, args) => {
    const copy = join(dir, `${name}-${label}.duckdb`);
    copyFileSync(store(), copy);
    for (const format of ['table', 'json']) {
      const io = captureIo();
      const code = await runReconcileCommand(['--store', copy, ...args, '--format', format], io);
      await expect(`exit ${code}\n${io.err()}---\n${io.out()}`).toMatchFileSnapshot(
        golden(`${name}-reconcile-${label}.${format}`),
      );
    }
    await expect(await dumpAdjustments(copy)).toMatchFileSnapshot(golden(`${name}-reconcile-${label}.adjustments`));
  });
});

async function dumpAdjustments(path: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  try {
    const lines: string[] = [];
    for (const table of ['costspan_adjustments', 'costspan_reconciliations']) {
      const reader = await c.runAndReadAll(`SELECT * EXCLUDE (created_at_ms) FROM ${table} ORDER BY ALL`);
      lines.push(`# ${table}`, reader.columnNames().join(','));
      for (const row of reader.getRows()) lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
    }
    return `${lines.join('\n')}\n`;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
