/**
 * The conformance suite: every producer of GenAI telemetry teams run today drives its real client against the
 * fake provider (fixtures.mjs), each in a process of its own, through a real tracer provider with the
 * CostSpanProcessor; the same spans, as the producer wrote them, then go over OTLP/HTTP to a real collector with
 * its cost stage. Each call must come out priced exactly once at the hand-computed price of cases.mjs, or flagged
 * with a reason and counted where the producer's span lacks the data — at both doors.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { collectorConfigFromObject, costStages, type RunningCollector, startCollector } from '@costspan/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, FIXTURE_COUNTS } from './cases.mjs';
import { type ExportedSpan, exportedSpans, otlpRequest } from './otlp-json.ts';
import { PRODUCERS } from './producers.mjs';
import { type ProducerRun, type RecordedSpan, runProducers } from './run-producer.ts';
import { detectReports, judge } from './verdict.mjs';

/** Where the last run's results go, for `npm run matrix`. */
const RESULTS_DIR = join(import.meta.dirname, '..', '.last-run');

/** The far side of the collector: an OTLP/HTTP JSON endpoint that keeps what it is sent. */
class Capture {
  readonly spans = new Map<string, ExportedSpan>();
  #server: Server | undefined;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        for (const span of exportedSpans(body)) this.spans.set(span.spanId, span);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

const byEnd = (a: RecordedSpan, b: RecordedSpan) => a.endTime[0] - b.endTime[0] || a.endTime[1] - b.endTime[1];

/**
 * The same spans under fresh span ids (parents remapped, trace ids kept), so the collector sees them as spans it
 * has not received before; the response ids stay, as they would for a call's spans.
 */
function renumbered(spans: RecordedSpan[]): RecordedSpan[] {
  const ids = new Map(spans.map((s) => [s.spanId, randomBytes(8).toString('hex')]));
  return spans.map((s) => ({
    ...s,
    spanId: ids.get(s.spanId) as string,
    parentSpanId: s.parentSpanId === undefined ? undefined : (ids.get(s.parentSpanId) ?? s.parentSpanId),
  }));
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let runs: Map<string, ProducerRun>;
let collector: RunningCollector;
/** A second collector for the split requests: its response-id window has not seen the calls yet. */
let collectorSplit: RunningCollector;
const capture = new Capture();
const summary: Record<string, unknown> = {};

beforeAll(async () => {
  await capture.start();
  const config = collectorConfigFromObject({
    receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
    processors: { costspan: {} },
    // In-memory upstream queues: two collectors of one configuration would share a persistent queue directory.
    exporters: {
      'otlphttp/capture': { endpoint: capture.url, encoding: 'json', sending_queue: { storage: 'memory' } },
    },
    service: {
      pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['otlphttp/capture'] } },
    },
  });
  collector = await startCollector(config, { stages: costStages(config), log: () => {} });
  collectorSplit = await startCollector(config, { stages: costStages(config), log: () => {} });
  runs = await runProducers(
    CASES.map((c) => c.id),
    3,
  );
}, 180_000);

afterAll(async () => {
  await collector?.close();
  await collectorSplit?.close();
  await capture.stop();
  if (Object.keys(summary).length === CASES.length) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, `node${process.versions.node.split('.')[0]}.json`),
      `${JSON.stringify(summary, null, 2)}\n`,
    );
  }
});

it('declares a case for every producer and every call each one makes', () => {
  expect(CASES.map((c) => c.id).sort()).toEqual(Object.keys(PRODUCERS).sort());
  for (const c of CASES) expect(Object.keys(c.calls)).toEqual(PRODUCERS[c.id]?.scenarios);
});

describe.each(CASES)('$name', (c) => {
  const run = () => {
    const r = runs.get(c.id);
    if (r === undefined) throw new Error(`no run for ${c.id}`);
    return r;
  };

  it('runs the declared version (the Node 24 leg may run a newer one) and every call succeeds', () => {
    const r = run();
    if (process.versions.node.startsWith('20.')) expect(r.version).toBe(c.version);
    expect(r.results.map((x) => [x.id, x.error])).toEqual(Object.keys(c.calls).map((id) => [id, undefined]));
    for (const x of r.results) expect(x.spans.length, `${x.id} recorded no span`).toBeGreaterThan(0);
  });

  it('reports what the matrix says it reports', () => {
    const byCall = Object.fromEntries(run().results.map((x) => [x.id, x.spans]));
    expect(detectReports(byCall, FIXTURE_COUNTS)).toEqual(c.reports);
  });

  it.each(Object.entries(c.calls))('%s: in-process, priced once at the hand-computed price or flagged', (id, exp) => {
    const result = run().results.find((x) => x.id === id);
    const { problems } = judge(result?.spans ?? [], exp, 'processor');
    expect(problems).toEqual([]);
  });

  it('counts every flagged call in the unpriced metric', () => {
    const flagged = Object.values(c.calls).filter((e) => 'unpriced' in e).length;
    expect(run().unpriced.reduce((n, p) => n + p.value, 0)).toBe(flagged);
  });

  it('the collector prices the same spans the same way and counts what it flags', async () => {
    const verdicts: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [id, exp] of Object.entries(c.calls)) {
      const spans = run().results.find((x) => x.id === id)?.spans ?? [];
      const verdict: Record<string, string> = { processor: judge(spans, exp, 'processor').verdict };
      // All the call's spans in one OTLP request; then, to a second collector (span ids renewed so the capture
      // tells them apart), each span in a request of its own, in the order they ended — as a BatchSpanProcessor
      // may split them.
      for (const door of ['collector', 'collector-split'] as const) {
        const sent = door === 'collector' ? spans : renumbered(spans);
        const batches = door === 'collector' ? [sent] : [...sent].sort(byEnd).map((s) => [s]);
        const target = door === 'collector' ? collector : collectorSplit;
        const before = target.stats().unpriced;
        for (const batch of batches) {
          const response = await fetch(`${target.url}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: otlpRequest(batch, c.id),
          });
          expect(response.status).toBe(200);
        }
        await waitFor(() => sent.every((s) => capture.spans.has(s.spanId)), `the collector to forward ${id}`);
        const forwarded = sent.map((s) => {
          const out = capture.spans.get(s.spanId) as ExportedSpan;
          return { name: out.name, spanId: out.spanId, attributes: out.attributes, raw: s.raw };
        });
        const atCollector = judge(forwarded, exp, door);
        problems.push(...atCollector.problems.map((p) => `${id} (${door}): ${p}`));
        const counted = target.stats().unpriced - before;
        const flagged = 'unpriced' in exp ? 1 : 0;
        if (counted !== flagged) problems.push(`${id} (${door}): counted ${counted} unpriced, expected ${flagged}`);
        verdict[door] = atCollector.verdict;
      }
      verdicts[id] = verdict;
    }
    expect(problems).toEqual([]);
    summary[c.id] = { package: c.package, version: run().version, node: run().node, calls: verdicts };
  });
});
