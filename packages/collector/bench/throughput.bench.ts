/**
 * Collector throughput over loopback: OTLP/HTTP protobuf batches of 512 spans posted to (a) the collector as a
 * pass-through, (b) the same collector pricing every span, and (c) pricing and writing every inference span to
 * the DuckDB store, all forwarding through their persistent queues to a local upstream that accepts everything.
 * One run, alternating rounds; prints spans/s for each and the ratios (goals: b/a ≥ 0.85, b ≥ 50k/s, c ≥ 50k/s).
 *   npm run bench            (COSTSPAN_BENCH_ROUNDS, COSTSPAN_BENCH_INFERENCE_SHARE to vary)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig, forwardConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { BATCH, batch, INFERENCE_SHARE } from './batches.ts';

const BATCHES_PER_ROUND = 40;
const ROUNDS = Number(process.env.COSTSPAN_BENCH_ROUNDS ?? 6);
const CONCURRENCY = 4;

async function sinkUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/traces`,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function round(collector: RunningCollector, bodies: Uint8Array[]): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        let status = await post(collector.url, body);
        while (status === 503) status = await post(collector.url, body);
        if (status !== 200) throw new Error(`collector answered ${status}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (bodies.length * BATCH) / seconds;
}

async function main() {
  const upstream = await sinkUpstream();
  const work = mkdtempSync(join(tmpdir(), 'costspan-bench-'));
  const base = (name: string, costing: boolean, store: boolean): CollectorConfig => ({
    ...defaultCollectorConfig(),
    receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 64 << 20 },
    costing,
    forward: [forwardConfig('otlphttp/sink', upstream.url, { queueSize: 1_000_000 })],
    telemetry: { prometheus: false },
    dataDir: join(work, name),
    ...(store ? { store: { path: join(work, `${name}.duckdb`) } } : {}),
  });
  const passConfig = base('pass', false, false);
  const priceConfig = base('price', true, false);
  const storeConfig = base('store', true, true);
  const pass = await startCollector(passConfig, { log: () => {} });
  const priced = await startCollector(priceConfig, { stages: costStages(priceConfig), log: () => {} });
  const stored = await startCollector(storeConfig, { stages: costStages(storeConfig), log: () => {} });
  // Every round sends new span ids (the store ignores ids it already holds).
  let seed = 0;
  const bodies = () => Array.from({ length: BATCHES_PER_ROUND }, () => batch(++seed));
  // Warm up every path (JIT, price-book memo, store tables).
  await round(pass, bodies().slice(0, 8));
  await round(priced, bodies().slice(0, 8));
  await round(stored, bodies().slice(0, 8));
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await round(pass, bodies()));
    b.push(await round(priced, bodies()));
    c.push(await round(stored, bodies()));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const pa = median(a);
  const pb = median(b);
  const pc = median(c);
  console.log(
    `collector throughput, OTLP/HTTP protobuf, ${BATCH}-span batches, ${Math.round(INFERENCE_SHARE * 100)}% inference spans, ${CONCURRENCY} concurrent senders, median of ${ROUNDS} rounds`,
  );
  console.log(`  (a) pass-through          ${Math.round(pa).toLocaleString('en-US')} spans/s`);
  console.log(`  (b) pricing               ${Math.round(pb).toLocaleString('en-US')} spans/s`);
  console.log(`  (c) pricing + store       ${Math.round(pc).toLocaleString('en-US')} spans/s`);
  console.log(`  ratio b/a                 ${(pb / pa).toFixed(3)}  (goal >= 0.85; b goal >= 50,000 spans/s)`);
  console.log(`  ratio c/b                 ${(pc / pb).toFixed(3)}  (c goal >= 50,000 spans/s)`);
  await pass.close();
  await priced.close();
  await stored.close();
  rmSync(work, { recursive: true, force: true });
  await upstream.close();
  agent.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
