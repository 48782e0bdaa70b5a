/**
 * `npm run bench` (after `npm run build`): writes synthetic collector stores with SQL (generate_series: about
 * 100k spans a day, 20 features, 500 tenants, several catalog models with long-context and service tiers,
 * unpriced rows, GPU node windows) into a temp directory and times every report kind beside the bare DuckDB
 * queries that compute the same answer on the same file, in the same run; each run is its own process, so peak
 * memory (max RSS) is that run's. Prints one table per size: report time, engine time, ratio, peak memory.
 *
 *   npm run bench -- --rows 3000000,30000000   (default 3000000; sizes in spans)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeSyntheticStore } from '../../cli/test/helpers/synthetic-store.js';

const CHILD = fileURLToPath(new URL('./measure-child.mjs', import.meta.url));
const SPANS_PER_DAY = 100_000;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

interface Run {
  ms: number;
  maxRssKb: number;
  exit: number;
}

function measure(args: string[]): Run {
  const child = spawnSync(process.execPath, [CHILD, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`${args.slice(0, 3).join(' ')} failed (${child.status}): ${child.stderr.slice(-2000)}`);
  }
  const run = JSON.parse(line) as Run;
  if (run.exit !== 0) throw new Error(`${args.join(' ')} exited ${run.exit}: ${child.stderr.slice(-2000)}`);
  return run;
}

/** The faster of two runs (the first also warms the file cache). */
function best(args: string[]): Run {
  const a = measure(args);
  const b = measure(args);
  return a.ms <= b.ms ? a : b;
}

const DAY = "strftime(start_time, '%Y-%m-%d')";
/** The same aggregates a rollup line holds (counts, tokens, cost and its eight components, p50/p95, time bounds). */
const ROLLUP = (keys: string) =>
  `SELECT ${keys}, count(*), count(*) FILTER (WHERE cost_nanos IS NULL), count(*) FILTER (WHERE cost_nanos IS NOT NULL),
     sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos),
     sum(cost_input_nanos), sum(cost_output_nanos), sum(cost_cache_read_nanos), sum(cost_cache_write_nanos),
     sum(cost_request_nanos), sum(cost_gpu_nanos), sum(cost_idle_nanos), sum(cost_overhead_nanos),
     quantile_disc(cost_nanos, [0.5, 0.95]), min(start_time), max(start_time)
   FROM inference_spans GROUP BY GROUPING SETS ((${keys}), ())`;
const NODES = `SELECT node, ${DAY.replace('start_time', 'window_start')}, count(*), sum(busy_seconds), sum(node_cost_nanos),
  sum(idle_cost_nanos) FROM gpu_node_windows GROUP BY ALL`;
const RATES = `(VALUES ('gpt-4o-mini', 150000000, 600000000), ('gpt-4o-2024-08-06', 2500000000, 10000000000),
  ('claude-sonnet-4-20250514', 3000000000, 15000000000), ('gemini-2.5-pro', 1250000000, 10000000000)) r(m, ri, ro)`;

/** Each report kind: the costspan command and the bare engine queries computing the same answer. */
function kinds(store: string, invoice: string, days: number): { name: string; report: string[]; engine: string[] }[] {
  const last = new Date(Date.UTC(2026, 9, 1) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return [
    {
      name: 'report --by day,feature',
      report: ['report', '--store', store, '--by', 'day,feature', '--format', 'json'],
      engine: [ROLLUP(`${DAY}, feature`), NODES],
    },
    {
      name: 'report --by tenant',
      report: ['report', '--store', store, '--by', 'tenant', '--format', 'json'],
      engine: [ROLLUP('tenant'), NODES],
    },
    {
      name: 'report --top 20',
      report: ['report', '--store', store, '--by', 'feature', '--top', '20', '--format', 'json'],
      engine: [
        ROLLUP('feature'),
        NODES,
        'SELECT * FROM inference_spans WHERE cost_nanos IS NOT NULL ORDER BY cost_nanos DESC LIMIT 20',
        'SELECT feature, count(*), sum(cost_nanos) FROM inference_spans GROUP BY feature',
      ],
    },
    {
      name: 'report --by feature,component',
      report: ['report', '--store', store, '--by', 'feature,component', '--format', 'json'],
      engine: [
        ROLLUP('feature'),
        NODES,
        // The split's parts per feature and in all, with distinct requests (traces) per group and part.
        `SELECT feature, p, count(DISTINCT trace_id), sum(c) FROM (
           SELECT feature, trace_id, unnest(['tokens', 'gpu', 'overhead']) AS p,
             unnest([cost_nanos - cost_gpu_nanos - cost_idle_nanos - cost_overhead_nanos, cost_gpu_nanos,
               cost_idle_nanos + cost_overhead_nanos]) AS c
           FROM inference_spans) GROUP BY GROUPING SETS ((feature, p), (p), (feature), ())`,
      ],
    },
    {
      name: 'report --what-if model=gpt-4o-mini',
      report: ['report', '--store', store, '--by', 'feature', '--what-if', 'model=gpt-4o-mini', '--format', 'json'],
      engine: [
        ROLLUP('feature'),
        NODES,
        `SELECT feature, count(*), sum(cost_nanos),
           sum(((input_tokens - cache_read_tokens) * 150000000 + output_tokens * 600000000 + cache_read_tokens * 75000000 + 500000) // 1000000)
         FROM inference_spans GROUP BY feature`,
      ],
    },
    {
      name: 'report --what-if max-output=300',
      report: ['report', '--store', store, '--by', 'model', '--what-if', 'max-output=300', '--format', 'json'],
      engine: [
        ROLLUP('response_model'),
        NODES,
        `SELECT response_model, count(*), sum(cost_nanos),
           sum((input_tokens * ri + least(output_tokens, 300) * ro + 500000) // 1000000)
         FROM inference_spans s LEFT JOIN ${RATES} ON coalesce(s.pricing_model, s.response_model) = r.m
         GROUP BY response_model`,
      ],
    },
    {
      name: 'report --revenue (margin)',
      report: [
        'report',
        '--store',
        store,
        '--by',
        'feature',
        '--revenue',
        invoice.replace('invoice.json', 'revenue.csv'),
        '--format',
        'json',
      ],
      engine: [
        ROLLUP('feature'),
        NODES,
        'SELECT feature, tenant, sum(cost_nanos) FROM inference_spans GROUP BY GROUPING SETS ((feature), (tenant))',
      ],
    },
    {
      name: 'report --format html',
      report: [
        'report',
        '--store',
        store,
        '--by',
        'day,feature',
        '--format',
        'html',
        '--out',
        invoice.replace('invoice.json', 'report.html'),
      ],
      engine: [
        ROLLUP(`${DAY}, feature`),
        NODES,
        `SELECT feature, ${DAY}, sum(cost_nanos), count(*) FROM inference_spans GROUP BY ALL`,
        'SELECT * FROM inference_spans WHERE cost_nanos IS NOT NULL ORDER BY cost_nanos DESC LIMIT 20',
      ],
    },
    {
      name: 'reconcile (writes adjustments)',
      report: [
        'reconcile',
        '--store',
        store,
        '--invoice',
        invoice,
        '--invoice-format',
        'openai-costs',
        '--period',
        `2026-10-01..${last}`,
        '--format',
        'json',
      ],
      engine: [
        `SELECT ${DAY}, provider, pricing_model, response_model, count(*), sum(cost_nanos - cost_gpu_nanos) FROM inference_spans
         WHERE gpu_node IS NULL GROUP BY ALL`,
        // The same spread, materialized: shares in proportion to each span's estimate, remainders ranked.
        `CREATE TEMP TABLE adjustments AS
         WITH x AS (SELECT trace_id, span_id, ${DAY} AS d, response_model AS m, greatest(cost_nanos, 0) AS w,
             sum(greatest(cost_nanos, 0)) OVER (PARTITION BY ${DAY}, response_model) AS t,
             sum(cost_nanos) OVER (PARTITION BY ${DAY}, response_model) * 3 // 100 AS v
           FROM inference_spans WHERE provider = 'openai' AND gpu_node IS NULL AND cost_nanos IS NOT NULL),
         y AS (SELECT *, v * w // t AS share, v * w % t AS rem FROM x WHERE t > 0)
         SELECT trace_id, span_id, share + CASE WHEN row_number() OVER (PARTITION BY d, m ORDER BY rem DESC)
           <= v - sum(share) OVER (PARTITION BY d, m) THEN 1 ELSE 0 END AS amount FROM y`,
      ],
    },
  ];
}

/** An OpenAI costs export billing 3 % above the store's estimate per day and model. */
async function writeInvoice(store: string, path: string): Promise<void> {
  const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const rows = (
    await c.runAndReadAll(
      `SELECT epoch(date_trunc('day', start_time))::BIGINT AS day, response_model AS model,
         (sum(cost_nanos) * 103 // 100)::BIGINT AS nanos
       FROM inference_spans WHERE provider = 'openai' AND cost_nanos IS NOT NULL AND response_model IS NOT NULL
       GROUP BY ALL ORDER BY ALL`,
    )
  ).getRowObjects();
  c.closeSync();
  instance.closeSync();
  const buckets = new Map<number, { start_time: number; end_time: number; results: unknown[] }>();
  for (const r of rows) {
    const day = Number(r.day);
    const bucket = buckets.get(day) ?? { start_time: day, end_time: day + 86_400, results: [] };
    const nanos = BigInt(String(r.nanos));
    const usd = `${nanos / 1_000_000_000n}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}`;
    bucket.results.push({
      amount: { value: Number(usd), currency: 'usd' },
      line_item: `${r.model}, input`,
      project_id: 'p',
    });
    buckets.set(day, bucket);
  }
  writeFileSync(path, JSON.stringify({ object: 'page', data: [...buckets.values()] }));
}

const sizes = option('rows', '3000000')
  .split(',')
  .map((s) => Number(s.replace(/_/g, '')));
const dir = mkdtempSync(join(tmpdir(), 'costspan-reporting-bench-'));
try {
  for (const rows of sizes) {
    const days = Math.max(1, Math.round(rows / SPANS_PER_DAY));
    const store = join(dir, `store-${rows}.duckdb`);
    const started = performance.now();
    await writeSyntheticStore(store, { rows, days });
    const invoice = join(dir, 'invoice.json');
    await writeInvoice(store, invoice);
    writeFileSync(
      join(dir, 'revenue.csv'),
      [
        'feature,tenant,revenue',
        ...Array.from({ length: 20 }, (_, i) => `feature-${String(i).padStart(2, '0')},,${1000 + i}`),
      ].join('\n'),
    );
    console.log(
      `\n${rows.toLocaleString('en-US')} spans over ${days} days: store written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log('report kind                           report s   engine s   ratio   report peak MB   engine peak MB');
    for (const kind of kinds(store, invoice, days)) {
      const engine = best(['sql', store, ...kind.engine]);
      const report = best(kind.report);
      console.log(
        `${kind.name.padEnd(36)} ${(report.ms / 1000).toFixed(2).padStart(9)} ${(engine.ms / 1000).toFixed(2).padStart(10)} ${(report.ms / engine.ms).toFixed(2).padStart(7)} ${(report.maxRssKb / 1024).toFixed(0).padStart(16)} ${(engine.maxRssKb / 1024).toFixed(0).padStart(16)}`,
      );
    }
    rmSync(store, { force: true });
    rmSync(`${store}.wal`, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
