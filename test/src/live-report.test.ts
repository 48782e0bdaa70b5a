/**
 * Reports against a running collector: `costspan collector` receives spans without pause while `costspan report`
 * and `costspan reconcile --collector URL` query its store through the report endpoint. The reports see the spans
 * sent a moment before, and the sender never gets a 503 nor loses a span.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@costspan/reporting';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runToEnd } from './run-process.ts';

const CLI = join(repoRoot, 'packages/cli/dist/bin.js');
const TOKEN = 'live-report-token';
const DAY = Date.UTC(2026, 9, 1);

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

/** One OTLP/HTTP JSON batch of `n` gpt-4o-mini spans of `feature`, ids from `first`. */
function batch(first: number, n: number, feature: string) {
  const spans = Array.from({ length: n }, (_, i) => {
    const k = first + i;
    const start = BigInt(DAY + k * 1000) * 1_000_000n;
    return {
      traceId: k.toString(16).padStart(32, '0'),
      spanId: k.toString(16).padStart(16, '0'),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 500_000_000n).toString(),
      attributes: [
        str('gen_ai.operation.name', 'chat'),
        str('gen_ai.provider.name', 'openai'),
        str('gen_ai.request.model', 'gpt-4o-mini'),
        str('gen_ai.response.model', 'gpt-4o-mini'),
        int('gen_ai.usage.input_tokens', 1000),
        int('gen_ai.usage.output_tokens', 100 + (k % 50)),
        str('costspan.feature', feature),
        str('costspan.tenant', 'acme'),
      ],
      status: {},
    };
  });
  return {
    resourceSpans: [
      { resource: { attributes: [str('service.name', 'live')] }, scopeSpans: [{ scope: { name: 'live' }, spans }] },
    ],
  };
}

let collector: ChildProcess | undefined;

afterAll(() => {
  if (collector && collector.exitCode === null) collector.kill('SIGKILL');
});

async function startCollector(store: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [CLI, 'collector', '--store', store, '--listen', '127.0.0.1:0', '--auth-token', TOKEN],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  collector = child;
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${stderr}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const match = /listening on (http:\/\/[^/\s]+)\/v1\/traces/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${stderr}`)));
  });
}

async function costspan(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runToEnd(process.execPath, [CLI, ...args], { timeoutMs: 60_000, env });
  return result;
}

describe('reports while the collector is receiving', () => {
  it('see the spans sent seconds ago, reconcile writes through the collector, and ingestion never stops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-live-report-'));
    const store = join(dir, 'costspan.duckdb');
    const url = await startCollector(store);

    const statuses: number[] = [];
    let sent = 0;
    let next = 1;
    let sending = true;
    const send = async (feature: string, n: number) => {
      const first = next;
      next += n;
      const response = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(batch(first, n, feature)),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 200) sent += n;
    };
    // A steady sender, running the whole time the reports run.
    const sender = (async () => {
      while (sending) {
        await send('steady', 25);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await new Promise((r) => setTimeout(r, 300));
    await send('marker', 3);
    const report = await costspan([
      'report',
      '--collector',
      url,
      '--token',
      TOKEN,
      '--by',
      'feature',
      '--format',
      'json',
    ]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const live = JSON.parse(report.stdout);
    expect(live.rows.find((r: { feature: string }) => r.feature === 'marker')).toMatchObject({
      requests: 3,
      unpriced: 0,
    });
    expect(live.total.requests).toBeGreaterThan(3);

    // The token from the environment; a wrong one is refused with a clear message.
    const envReport = await costspan(['report', '--collector', url, '--by', 'tenant', '--format', 'csv'], {
      COSTSPAN_COLLECTOR_AUTH_TOKEN: TOKEN,
    });
    expect(envReport.code).toBe(0);
    expect(envReport.stdout).toMatch(/^kind,/);
    const refused = await costspan(['report', '--collector', url, '--token', 'wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the token/);

    const invoice = join(dir, 'openai.json');
    await writeFile(
      invoice,
      JSON.stringify({
        object: 'page',
        data: [
          {
            start_time: DAY / 1000,
            end_time: DAY / 1000 + 86_400,
            results: [{ amount: { value: 1.5, currency: 'usd' }, line_item: 'gpt-4o-mini, input', project_id: 'p' }],
          },
        ],
      }),
    );
    const reconcile = await costspan([
      'reconcile',
      '--collector',
      url,
      '--token',
      TOKEN,
      '--invoice',
      invoice,
      '--invoice-format',
      'openai-costs',
      '--format',
      'json',
    ]);
    expect(reconcile.stderr).toBe('');
    expect(reconcile.code).toBe(0);
    const reconciled = JSON.parse(reconcile.stdout);
    expect(reconciled.rows).toEqual([
      expect.objectContaining({ day: '2026-10-01', provider: 'openai', model: 'gpt-4o-mini', actual: '1.50' }),
    ]);
    expect(reconciled.totals.adjusted).toBe('1.50');

    await send('marker-2', 2);
    const again = JSON.parse(
      (await costspan(['report', '--collector', url, '--token', TOKEN, '--by', 'feature', '--format', 'json'])).stdout,
    );
    expect(again.rows.find((r: { feature: string }) => r.feature === 'marker-2')).toMatchObject({ requests: 2 });

    sending = false;
    await sender;
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const final = JSON.parse(
      (await costspan(['report', '--collector', url, '--token', TOKEN, '--by', 'feature', '--format', 'json'])).stdout,
    );
    expect(final.total.requests).toBe(sent);

    collector!.kill('SIGTERM');
    await new Promise((r) => collector!.once('exit', r));
    const file = await openStore(store);
    try {
      const [row] = (
        await file.connection.runAndReadAll(
          `SELECT (SELECT count(*) FROM inference_spans) AS spans,
                  (SELECT count(*) FROM costspan_adjustments) AS adjustments`,
        )
      ).getRowObjectsJS();
      expect(Number(row!.spans)).toBe(sent);
      expect(Number(row!.adjustments)).toBeGreaterThan(0);
    } finally {
      file.close();
    }
  }, 120_000);
});
