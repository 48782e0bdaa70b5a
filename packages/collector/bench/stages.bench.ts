/**
 * Where a collector's time per span goes, in this process and without HTTP: on the same 512-span protobuf
 * batches as the throughput bench, (1) decoding the body (protobufjs), (2) listing the spans and repairing
 * strings (what the receiver does before any stage), (3) the cost stage pricing the batch, (4) re-encoding the
 * request for the upstream. The pass-through does 1 + 2 + 4; pricing adds 3 and re-encodes the attributes it
 * wrote. Reports CPU ns per span (process.cpuUsage; median of interleaved rounds), each step's share, and the
 * in-process ratio pass-through / pricing (an upper bound for the HTTP bench's b/a, which also pays HTTP and the
 * persistent queue in both arms).
 *   npm run bench            (COSTSPAN_BENCH_INFERENCE_SHARE, COSTSPAN_BENCH_STAGE_ROUNDS)
 */
import { defaultCollectorConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { decodeProtobufRequest, encodeProtobufRequest } from '../src/otlp/codec.js';
import { flattenRequest } from '../src/otlp/spans.js';
import { makeStringsWellFormed } from '../src/otlp/well-formed.js';
import type { PipelineBatch, PipelineSinks } from '../src/pipeline.js';
import { BATCH, batch, INFERENCE_SHARE } from './batches.ts';

const ROUNDS = Number(process.env.COSTSPAN_BENCH_STAGE_ROUNDS ?? 15);
const BATCHES = 40;

const sinks: PipelineSinks = {
  windows() {},
  finalAllocations() {},
  error(where, error) {
    throw new Error(`${where}: ${String(error)}`);
  },
};
const stage = (() => {
  const [first] = costStages({ ...defaultCollectorConfig(), costing: true })?.(sinks) ?? [];
  if (!first) throw new Error('no cost stage');
  return first;
})();

type Step = 'decode' | 'flatten' | 'price' | 'encode';
const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

let seed = 0;
function round(pricing: boolean): Record<Step, number> {
  const bodies = Array.from({ length: BATCHES }, () => batch(++seed));
  const t: Record<Step, number> = { decode: 0, flatten: 0, price: 0, encode: 0 };
  for (const body of bodies) {
    let c = cpuNs();
    const request = decodeProtobufRequest(body);
    let d = cpuNs();
    t.decode += d - c;
    c = d;
    const flat = flattenRequest(request);
    makeStringsWellFormed(request);
    d = cpuNs();
    t.flatten += d - c;
    c = d;
    if (pricing) {
      const b: PipelineBatch = { request, spans: flat.spans, receivedAt: Date.now(), rows: [], priced: 0, unpriced: 0 };
      stage.process(b);
      d = cpuNs();
      t.price += d - c;
      c = d;
    }
    encodeProtobufRequest(request);
    t.encode += cpuNs() - c;
  }
  const spans = BATCHES * BATCH;
  return { decode: t.decode / spans, flatten: t.flatten / spans, price: t.price / spans, encode: t.encode / spans };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const samples = { pass: [] as Array<Record<Step, number>>, price: [] as Array<Record<Step, number>> };
for (let r = 0; r < ROUNDS + 2; r++) {
  const order = r % 2 === 0 ? (['pass', 'price'] as const) : (['price', 'pass'] as const);
  for (const arm of order) {
    const result = round(arm === 'price');
    if (r >= 2) samples[arm].push(result);
  }
}
const steps: Step[] = ['decode', 'flatten', 'price', 'encode'];
const med = (arm: 'pass' | 'price', step: Step) => median(samples[arm].map((s) => s[step]));
const total = (arm: 'pass' | 'price') => median(samples[arm].map((s) => steps.reduce((sum, k) => sum + s[k], 0)));
console.log(
  `collector steps in-process, ${BATCH}-span protobuf batches, ${Math.round(INFERENCE_SHARE * 100)}% inference spans, CPU ns per span (median of ${ROUNDS} rounds × ${BATCHES} batches):`,
);
console.log(`  ${'step'.padEnd(34)} ${'pass-through'.padStart(12)} ${'pricing'.padStart(10)}  share of pricing`);
const labels: Record<Step, string> = {
  decode: '(1) decode (protobufjs)',
  flatten: '(2) list spans, repair strings',
  price: '(3) cost stage',
  encode: '(4) re-encode for the upstream',
};
for (const step of steps) {
  console.log(
    `  ${labels[step].padEnd(34)} ${med('pass', step).toFixed(0).padStart(12)} ${med('price', step).toFixed(0).padStart(10)}  ${((med('price', step) / total('price')) * 100).toFixed(0).padStart(5)} %`,
  );
}
console.log(
  `  ${'total'.padEnd(34)} ${total('pass').toFixed(0).padStart(12)} ${total('price').toFixed(0).padStart(10)}`,
);
console.log(
  `  in-process ratio pass/pricing      ${(total('pass') / total('price')).toFixed(3)}  (rates: pricing / pass-through)`,
);
