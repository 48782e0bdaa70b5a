/**
 * CostSpanProcessor in a real export pipeline, on identical spans:
 *   (a) TracerProvider + BatchSpanProcessor + OTLP JSON serialization (the baseline),
 *   (b) the same + CostSpanProcessor, on inference spans,
 *   (c) the same + CostSpanProcessor, on non-inference spans only (HTTP client spans),
 *   (d) reference: no processor, the inference spans already carrying the cost attributes (b) writes — what
 *       storing and serializing the cost data itself costs, whoever computes it,
 *   (e) the same as (b) with `attributes: 'essential'` (amount, currency, source, status, feature, tenant),
 *   (d') reference for (e): no processor, (e)'s attributes pre-set.
 * The spans are what instrumentations emit (see span-shapes.ts): request attributes at start, response and usage
 * before end(), on a NodeSDK-like resource. Each run is a fresh process; in it, rounds are interleaved with the
 * order rotated each round, and the median per pipeline is taken. Ratios are reported as the median over runs
 * with the spread (min–max). Goals (issue 4): (b)/(a) ≤ 1.05, (c)/(a) ≤ 1.01.
 *
 * Env: BENCH_RUNS (3), BENCH_SPANS per round (10,000), BENCH_ROUNDS (15).
 */

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCostCore } from '@costspan/core';
import { CostSpanProcessor } from '@costspan/processor';
import type { Attributes } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_GEN_AI_RESPONSE_ID } from '@opentelemetry/semantic-conventions/incubating';
import {
  HTTP_SPAN_NAME,
  httpEnd,
  httpStart,
  INFERENCE_SPAN_NAME,
  inferenceEnd,
  inferenceStart,
  resource,
} from './span-shapes.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SPANS_PER_ROUND = Number(process.env.BENCH_SPANS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARMUP_ROUNDS = 3;
const YIELD_EVERY = 256;

/** Serializes every batch to OTLP JSON, as an OTLP/HTTP JSON exporter would before sending. */
class JsonSerializingExporter implements SpanExporter {
  bytes = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    const body = JsonTraceSerializer.serializeRequest(spans);
    this.bytes += body?.length ?? 0;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** The attributes (b) adds to each inference span, set before end() in (d) instead. */
const costAttributes: Attributes = {
  ...createCostCore().annotate({
    name: INFERENCE_SPAN_NAME,
    attributes: { ...inferenceStart, ...inferenceEnd },
    startTimeMs: Date.now(),
  })?.attributes,
};
const endWithCost: Attributes = { ...inferenceEnd, ...costAttributes };
/** …and the attributes (e) adds, for (d'). */
const essentialAttributes: Attributes = {
  ...createCostCore({ attributes: 'essential' }).annotate({
    name: INFERENCE_SPAN_NAME,
    attributes: { ...inferenceStart, ...inferenceEnd },
    startTimeMs: Date.now(),
  })?.attributes,
};
const endWithEssential: Attributes = { ...inferenceEnd, ...essentialAttributes };

interface Pipeline {
  key: string;
  label: string;
  name: string;
  start: Attributes;
  end: Attributes;
  provider: TracerProvider;
}

function pipeline(
  key: string,
  label: string,
  spans: 'inference' | 'http',
  cost: 'none' | 'full' | 'essential' | 'preset' | 'preset-essential',
): Pipeline {
  const batch = new BatchSpanProcessor({
    exporter: new JsonSerializingExporter(),
    maxQueueSize: SPANS_PER_ROUND * 2,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 60_000,
  });
  const spanProcessors =
    cost === 'full' || cost === 'essential' ? [new CostSpanProcessor({ attributes: cost }), batch] : [batch];
  const inference = spans === 'inference';
  return {
    key,
    label,
    name: inference ? INFERENCE_SPAN_NAME : HTTP_SPAN_NAME,
    start: inference ? inferenceStart : httpStart,
    end: !inference
      ? httpEnd
      : cost === 'preset'
        ? endWithCost
        : cost === 'preset-essential'
          ? endWithEssential
          : inferenceEnd,
    provider: new TracerProvider({ resource, spanProcessors }),
  };
}

const PIPELINES: ReadonlyArray<Parameters<typeof pipeline>> = [
  ['a', '(a) baseline, inference spans', 'inference', 'none'],
  ['b', '(b) + CostSpanProcessor, inference spans', 'inference', 'full'],
  ['d', '(d) no processor, cost attributes pre-set', 'inference', 'preset'],
  ['e', "(e) + CostSpanProcessor { attributes: 'essential' }", 'inference', 'essential'],
  ['dEssential', "(d') no processor, (e)'s attributes pre-set", 'inference', 'preset-essential'],
  ['aHttp', '(a) baseline, non-inference spans', 'http', 'none'],
  ['c', '(c) + CostSpanProcessor, non-inference spans', 'http', 'full'],
];

let seq = 0;
async function round(p: Pipeline): Promise<number> {
  const tracer = p.provider.getTracer('bench');
  const start = process.hrtime.bigint();
  for (let i = 0; i < SPANS_PER_ROUND; i++) {
    const span = tracer.startSpan(p.name, { kind: 2, attributes: p.start });
    span.setAttributes(p.end);
    // Each call has its own provider response id (one id is one call: a repeated id would be priced once).
    if (p.name === INFERENCE_SPAN_NAME) span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, `chatcmpl-bench-${seq++}`);
    span.end();
    // Spans of a real service end over many event-loop turns, so the BatchSpanProcessor exports a batch as soon as
    // it has one; yielding here lets it do so instead of queueing the whole round (which would make every byte
    // per span cost GC time on thousands of queued spans).
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await p.provider.forceFlush();
  return Number(process.hrtime.bigint() - start) / SPANS_PER_ROUND; // ns per span
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** One run: every pipeline, interleaved rounds; median ns/span per pipeline. */
async function run(): Promise<Record<string, number>> {
  const pipelines = PIPELINES.map((args) => pipeline(...args));
  const samples = pipelines.map(() => [] as number[]);
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    for (let k = 0; k < pipelines.length; k++) {
      const i = (k + r) % pipelines.length;
      gc?.();
      const ns = await round(pipelines[i] as Pipeline);
      if (r >= WARMUP_ROUNDS) samples[i]?.push(ns);
    }
  }
  for (const p of pipelines) await p.provider.shutdown();
  return Object.fromEntries(pipelines.map((p, i) => [p.key, median(samples[i] as number[])]));
}

if (process.env.BENCH_CHILD === '1') {
  console.log(JSON.stringify(await run()));
} else {
  const runs: Array<Record<string, number>> = [];
  for (let r = 0; r < RUNS; r++) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_CHILD: '1' },
      encoding: 'utf8',
    });
    runs.push(JSON.parse(out.trim().split('\n').pop() as string));
  }
  const startCount = Object.keys(inferenceStart).length + Object.keys(inferenceEnd).length;
  console.log(
    `costspan pipeline bench: ${RUNS} runs × ${ROUNDS} interleaved rounds × ${SPANS_PER_ROUND} spans per pipeline`,
  );
  console.log(
    `inference spans: ${startCount} attributes + ${Object.keys(costAttributes).length} cost attributes in (b)/(d), ` +
      `${Object.keys(essentialAttributes).length} in (e)/(d'); ` +
      `non-inference: ${Object.keys(httpStart).length + Object.keys(httpEnd).length}; resource: ${Object.keys(resource.attributes).length}`,
  );
  console.log('ns per span (median of rounds; per run):');
  for (const [key, label] of PIPELINES) {
    const values = runs.map((x) => x[key] as number);
    console.log(`  ${label.padEnd(54)} ${values.map((v) => v.toFixed(0).padStart(6)).join(' ')}`);
  }
  const ratio = (label: string, num: string, den: string, goal: string) => {
    const values = runs.map((x) => (x[num] as number) / (x[den] as number));
    const extra = median(runs.map((x) => (x[num] as number) - (x[den] as number)));
    console.log(
      `${label.padEnd(9)} ${median(values).toFixed(3)}  spread ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}  (${extra >= 0 ? '+' : ''}${extra.toFixed(0)} ns/span)${goal}`,
    );
  };
  console.log('ratios, median over runs (spread min–max):');
  ratio('(b)/(a)', 'b', 'a', '  goal ≤ 1.05');
  ratio('(d)/(a)', 'd', 'a', '  the cost attributes themselves, no processor');
  ratio('(b)/(d)', 'b', 'd', '  the processor beyond writing them');
  ratio('(e)/(a)', 'e', 'a', "  attributes: 'essential'");
  ratio("(d')/(a)", 'dEssential', 'a', "  (e)'s attributes themselves, no processor");
  ratio('(c)/(a)', 'c', 'aHttp', '  goal ≤ 1.01');
}
