/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReconcileCommand } from '../src/reporting/reconcile-command.js';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { addComponentRows } from './helpers/component-store.js';
import { createStore, octoberSpans, tempDir } from './helpers/store-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

let html: string;
/** The same store with non-model spans priced by cost rules: the report adds the stack per feature. */
let splitHtml: string;

beforeAll(async () => {
  const dir = tempDir();
  const store = join(dir, 'costspan.duckdb');
  const { spans } = octoberSpans();
  await createStore(store, spans);
  const invoice = join(dir, 'anthropic.json');
  writeFileSync(
    invoice,
    JSON.stringify({
      data: [
        {
          starting_at: '2026-10-01T00:00:00Z',
          results: [{ currency: 'USD', amount: '2.5', model: 'claude-sonnet-4-20250514', service_tier: 'standard' }],
        },
      ],
    }),
  );
  expect(await runReconcileCommand(['--store', store, '--invoice', invoice], captureIo())).toBe(0);
  html = join(dir, 'report.html');
  const io = captureIo();
  expect(await runReportCommand(['--store', store, '--by', 'day,feature', '--format', 'html', '--out', html], io)).toBe(
    0,
  );
  expect(io.err()).toBe(`wrote ${html}\n`);

  const withRules = join(dir, 'costspan-rules.duckdb');
  copyFileSync(store, withRules);
  const trace = (n: number) => n.toString(16).padStart(32, '0');
  await addComponentRows(withRules, [
    // The first "percentiles" request retrieved and reranked; the first "summarize" one called a search tool.
    {
      traceId: trace(1),
      spanId: 'r1'.padStart(16, '0'),
      start: '2026-10-01T10:00:59.900Z',
      feature: 'percentiles',
      tenant: 'acme',
      component: 'retrieval',
      rule: 'vector-search',
      costNanos: 80_000n,
    },
    {
      traceId: trace(1),
      spanId: 'r2'.padStart(16, '0'),
      start: '2026-10-01T10:01:00.500Z',
      feature: 'percentiles',
      tenant: 'acme',
      component: 'rerank',
      rule: 'cohere-rerank',
      units: 1,
      costNanos: 2_000_000n,
    },
    {
      traceId: trace(21),
      spanId: 't1'.padStart(16, '0'),
      start: '2026-10-01T12:00:00.500Z',
      feature: 'summarize',
      tenant: 'globex',
      component: 'tool',
      rule: 'web-search',
      costNanos: 10_000_000n,
    },
  ]);
  splitHtml = join(dir, 'report-rules.html');
  expect(
    await runReportCommand(
      ['--store', withRules, '--by', 'feature', '--format', 'html', '--out', splitHtml],
      captureIo(),
    ),
  ).toBe(0);
});

describe('HTML report', () => {
  it('is one self-contained file: the chart library inlined, nothing fetched at view time', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).toMatch(/<meta name="generator" content="@costspan\/reporting with chart\.js 4\.6\.1">/);
    expect(text).not.toMatch(/<script[^>]+src=/i);
    expect(text).not.toMatch(/<link[^>]+href=/i);
    expect(text).not.toMatch(/(src|href)=["']https?:/i);
  });

  it.skipIf(!existsSync(CHROMIUM))('renders every chart in headless Chromium and saves a screenshot', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: FLAGS.filter((f) => f !== '--headless'),
      headless: true,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('body[data-charts-rendered], body[data-render-error]');
      const body = await page.evaluate(() => ({
        rendered: document.body.dataset.chartsRendered,
        drawn: document.body.dataset.chartsDrawn,
        error: document.body.dataset.renderError ?? null,
        canvases: document.querySelectorAll('canvas').length,
      }));
      expect(body).toEqual({ rendered: '5', drawn: '5', error: null, canvases: 5 });
      expect(requests).toEqual([]);
      const screenshot = join(ARTIFACTS, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!existsSync(CHROMIUM))('renders from the command line with --dump-dom as well', () => {
    const profile = tempDir();
    const result = spawnSync(
      CHROMIUM,
      [...FLAGS, `--user-data-dir=${profile}`, '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(html).href],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stdout).toMatch(/<body[^>]*data-charts-rendered="5"/);
    expect(result.stdout).toMatch(/<body[^>]*data-charts-drawn="5"/);
  });

  it('adds the split by component and its stack per feature when the store has priced non-model spans', () => {
    const text = readFileSync(splitHtml, 'utf8');
    expect(text).toContain('<canvas id="feature-parts"></canvas>');
    expect(text).toContain('<h2>Cost per request by component by feature (a request = a trace)</h2>');
    expect(text).toMatch(
      /<th>feature<\/th><th>requests<\/th><th>unpriced<\/th><th>cost<\/th><th>per request<\/th><th>tokens<\/th><th>gpu<\/th><th>tool<\/th><th>rerank<\/th><th>retrieval<\/th><\/tr>/,
    );
    const data = JSON.parse(/<script id="costspan-data" type="application\/json">(.*?)<\/script>/s.exec(text)![1]!);
    expect(data.featureParts.series.map((s: { label: string }) => s.label)).toEqual([
      'tokens',
      'gpu',
      'tool',
      'rerank',
      'retrieval',
    ]);
    expect(readFileSync(html, 'utf8')).not.toContain('feature-parts');
  });

  it.skipIf(!existsSync(CHROMIUM))('draws the stack per feature as a sixth chart in headless Chromium', () => {
    const profile = tempDir();
    const result = spawnSync(
      CHROMIUM,
      [
        ...FLAGS,
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        pathToFileURL(splitHtml).href,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stdout).toMatch(/<body[^>]*data-charts-rendered="6"/);
    expect(result.stdout).toMatch(/<body[^>]*data-charts-drawn="6"/);
  });
});
