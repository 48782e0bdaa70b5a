/**
 * price() throughput for already-seen models against a plain Map.get baseline measured in the same run, and
 * first-time match latency (fresh price book per sample). Run with `npm run bench` (tsx runs the sources).
 */
import { createPriceBook } from '../src/index.js';
import type { PriceRequest } from '../src/types.js';

const REQUESTS: PriceRequest[] = [
  {
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    usage: { inputTokens: 1200, outputTokens: 350, cacheReadTokens: 400 },
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-20250514',
    usage: { inputTokens: 9000, outputTokens: 800, cacheReadTokens: 6000, cacheWriteTokens: 1000 },
  },
  {
    provider: 'gcp.gemini',
    model: 'models/gemini-2.5-pro',
    usage: { inputTokens: 250_000, outputTokens: 1500, reasoningTokens: 900 },
  },
  { model: 'openai/o3', usage: { inputTokens: 3000, outputTokens: 5000, reasoningTokens: 4000 }, serviceTier: 'flex' },
];
const TIMESTAMP = Date.parse('2025-09-01T00:00:00Z');
for (const request of REQUESTS) request.timestamp = TIMESTAMP;

function measure(label: string, iterations: number, body: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 200_000); i++) sink += body(i) === undefined ? 0 : 1;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += body(i) === undefined ? 0 : 1;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = iterations / seconds;
  console.log(
    `${label.padEnd(38)} ${(perSecond / 1e6).toFixed(2).padStart(7)} M calls/s  (${((seconds / iterations) * 1e9).toFixed(0)} ns/call)${sink < 0 ? '!' : ''}`,
  );
  return perSecond;
}

const book = createPriceBook();
for (const request of REQUESTS) {
  const result = book.price(request);
  if (result.status === 'unpriced') throw new Error(`bench request unpriced: ${result.reason}`);
}

const baseline = new Map<string, { amount: number }>();
const keys = REQUESTS.map((request) => `${request.provider ?? ''}\u0000${request.model}`);
for (const key of keys) baseline.set(key, { amount: 1 });

const N = 3_000_000;
console.log(`@costspan/pricing bench — node ${process.version}, ${N.toLocaleString()} calls per measurement`);
const mapRate = measure('baseline: Map.get (memo lookup only)', N, (i) => baseline.get(keys[i & 3] as string));
const priceRate = measure('price() on seen models', N, (i) => book.price(REQUESTS[i & 3] as PriceRequest));
console.log(
  `ratio price()/Map.get: ${(priceRate / mapRate).toFixed(3)} (price() does ${(mapRate / priceRate).toFixed(1)}× the work of a bare lookup)`,
);
console.log(`target ≥ 1M calls/s: ${priceRate >= 1e6 ? 'met' : 'NOT met'}`);

const firstMatch: number[] = [];
const models: Array<[string | undefined, string]> = [
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['anthropic', 'claude-opus-4-1-20250805'],
  ['gcp.vertex_ai', 'publishers/google/models/gemini-2.5-flash'],
  ['aws.bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0'],
  [undefined, 'mistral/mistral-large-latest'],
  ['openai', 'no-such-model-at-all'],
];
for (let round = 0; round < 50; round++) {
  for (const [provider, model] of models) {
    const fresh = createPriceBook();
    const start = process.hrtime.bigint();
    fresh.price({ provider, model, usage: { inputTokens: 100, outputTokens: 10 } });
    firstMatch.push(Number(process.hrtime.bigint() - start) / 1000);
  }
}
firstMatch.sort((a, b) => a - b);
const at = (q: number) => firstMatch[Math.min(firstMatch.length - 1, Math.floor(q * firstMatch.length))] as number;
console.log(
  `first-time match (incl. unknown models): median ${at(0.5).toFixed(1)} µs, p95 ${at(0.95).toFixed(1)} µs, max ${at(1).toFixed(1)} µs; target ≤ 200 µs: ${at(0.95) <= 200 ? 'met' : 'NOT met'} (p95)`,
);
