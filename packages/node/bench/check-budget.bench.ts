/**
 * What `await checkBudget({ tenant })` adds to a call when its answer is cached, against a baseline measured in
 * the same run: awaiting an already-resolved promise (the least any awaited check can cost). Every call is timed
 * on its own (process.hrtime), so the p99 is the p99 of single calls. The answer comes from a loopback HTTP server
 * replying as the collector's /v1/costspan/budget does; the cache keeps it for the whole run. Budget: p99 ≤ 1 ms.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBudget } from '../src/check-budget.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const TENANTS = 100;
const P99_BUDGET_NS = 1_000_000;

const answer = JSON.stringify({
  allowed: true,
  budget: 'acme-daily',
  spent: '1.25',
  limit: '10',
  remaining: '8.75',
  resetsAt: '2026-12-01T00:00:00.000Z',
  budgets: [],
});
const server = createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const collector = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
const options = Array.from({ length: TENANTS }, (_, i) => ({ tenant: `tenant-${i}`, collector, cacheMs: 3_600_000 }));
for (const o of options) await checkBudget(o);

const resolved = Promise.resolve(true);
async function baseline(): Promise<boolean> {
  return resolved;
}

async function measure(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const samples = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples[i] = Number(process.hrtime.bigint() - t);
  }
  samples.sort();
  return { p50: samples[Math.floor(CALLS * 0.5)]!, p99: samples[Math.floor(CALLS * 0.99)]!, max: samples[CALLS - 1]! };
}

// Warm both paths, then interleave two rounds each.
await measure(() => baseline());
await measure((i) => checkBudget(options[i % TENANTS]!));
const base = await measure(() => baseline());
const cached = await measure((i) => checkBudget(options[i % TENANTS]!));
server.close();

const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`checkBudget, cached answer (${CALLS} calls over ${TENANTS} tenants)`);
console.log(`  baseline (await resolved promise): p50 ${us(base.p50)}  p99 ${us(base.p99)}`);
console.log(`  checkBudget (cached):              p50 ${us(cached.p50)}  p99 ${us(cached.p99)}  max ${us(cached.max)}`);
console.log(`  ratio p99 checkBudget / baseline:  ${(cached.p99 / base.p99).toFixed(2)}x`);
const ok = cached.p99 <= P99_BUDGET_NS;
console.log(`  budget p99 ≤ 1 ms: ${ok ? 'met' : 'MISSED'}`);
if (!ok) process.exitCode = 1;
