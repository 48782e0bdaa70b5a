/**
 * The processor's own per-span work, without the export pipeline: `onStart` + `onEnding` on spans created up front
 * (so span creation is not timed), next to what the SDK charges for storing the same attributes
 * (`span.setAttributes` of the precomputed cost attributes) and the cost core alone (`annotate` on a record).
 * The first case runs with the global (no-op) MeterProvider, as the pipeline bench does; the second with a real
 * one, to show what recording the cost metric adds. Reports ns per span (median of interleaved rounds) and bytes allocated per span (heap growth over 1,000
 * spans after a full GC; allocation matters in a pipeline because every scavenge also copies the spans waiting in
 * the BatchSpanProcessor's queue).
 *
 * Env: BENCH_SPANS per round (5,000), BENCH_ROUNDS (31).
 */

import { createCostCore, type SpanRecord } from '@costspan/core';
import { CostSpanProcessor } from '@costspan/processor';
import { type Span as ApiSpan, type Attributes, context, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
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

const SPANS = Number(process.env.BENCH_SPANS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const gc = (globalThis as { gc?: () => void }).gc;

type Span = Parameters<CostSpanProcessor['onEnding']>[0] & Pick<ApiSpan, 'setAttributes'>;
const tracer = new TracerProvider({ resource }).getTracer('bench');

let seq = 0;
function spans(name: string, start: Attributes, end: Attributes): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < SPANS; i++) {
    const span = tracer.startSpan(name, { kind: 2, attributes: start });
    span.setAttributes(end);
    // Each call has its own provider response id (one id is one call: a repeated id would be priced once).
    if (end[ATTR_GEN_AI_RESPONSE_ID] !== undefined)
      span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, `chatcmpl-bench-${seq++}`);
    out.push(span as unknown as Span);
  }
  return out;
}

const full = new CostSpanProcessor();
const essential = new CostSpanProcessor({ attributes: 'essential' });
// A real MeterProvider with a reader (what NodeSDK sets up when a metric exporter is configured): every priced span
// records one histogram point, which the metrics SDK keys by hashing its attributes.
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    }),
  ],
});
const withMetrics = new CostSpanProcessor({ meterProvider });
// The same processor without the one-price-per-call windows: what open-call tracking and the response-id window
// add to each span.
const noDedup = new CostSpanProcessor({ dedup: { enabled: false } });
const core = createCostCore();
const record: SpanRecord = {
  name: INFERENCE_SPAN_NAME,
  kind: 2,
  attributes: { ...inferenceStart, ...inferenceEnd },
  resourceAttributes: resource.attributes,
  startTimeMs: Date.now(),
};
const costAttributes = core.annotate(record)?.attributes ?? {};

interface Case {
  label: string;
  make?: () => Span[];
  each: (span: Span) => void;
}

const cases: Case[] = [
  {
    label: 'inference span: onStart + onEnding',
    make: () => spans(INFERENCE_SPAN_NAME, inferenceStart, inferenceEnd),
    each: (span) => {
      full.onStart(span, ROOT_CONTEXT);
      full.onEnding(span);
    },
  },
  {
    label: 'inference span: same, with a real MeterProvider',
    make: () => spans(INFERENCE_SPAN_NAME, inferenceStart, inferenceEnd),
    each: (span) => {
      withMetrics.onStart(span, ROOT_CONTEXT);
      withMetrics.onEnding(span);
    },
  },
  {
    label: 'inference span: same, dedup off',
    make: () => spans(INFERENCE_SPAN_NAME, inferenceStart, inferenceEnd),
    each: (span) => {
      noDedup.onStart(span, ROOT_CONTEXT);
      noDedup.onEnding(span);
    },
  },
  {
    label: "inference span: same, attributes: 'essential'",
    make: () => spans(INFERENCE_SPAN_NAME, inferenceStart, inferenceEnd),
    each: (span) => {
      essential.onStart(span, ROOT_CONTEXT);
      essential.onEnding(span);
    },
  },
  {
    label: `  SDK storing the ${Object.keys(costAttributes).length} cost attributes (setAttributes)`,
    make: () => spans(INFERENCE_SPAN_NAME, inferenceStart, inferenceEnd),
    each: (span) => {
      span.setAttributes(costAttributes);
    },
  },
  {
    label: '  cost core alone: annotate(record)',
    each: () => {
      core.annotate(record);
    },
  },
  {
    label: '  (calibration: an empty loop body)',
    each: () => {},
  },
  {
    label: 'non-inference span: onStart + onEnding',
    make: () => spans(HTTP_SPAN_NAME, httpStart, httpEnd),
    each: (span) => {
      full.onStart(span, context.active());
      full.onEnding(span);
    },
  },
  {
    label: 'non-inference span: same, dedup off',
    make: () => spans(HTTP_SPAN_NAME, httpStart, httpEnd),
    each: (span) => {
      noDedup.onStart(span, context.active());
      noDedup.onEnding(span);
    },
  },
];

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const none: Span[] = new Array(SPANS).fill(undefined);
const times = cases.map(() => [] as number[]);
for (let r = 0; r < ROUNDS + 3; r++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (k + r) % cases.length;
    const c = cases[i] as Case;
    const batch = c.make?.() ?? none;
    const t0 = process.hrtime.bigint();
    for (const span of batch) c.each(span);
    if (r >= 3) times[i]?.push(Number(process.hrtime.bigint() - t0) / SPANS);
  }
}
// Allocation: heap growth over 1,000 spans after a full GC (small enough that no scavenge runs in between).
const bytes = cases.map((c) => {
  const batch = (c.make?.() ?? none).slice(0, 1_000);
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const spans = r === 0 ? batch : (c.make?.() ?? none).slice(0, 1_000);
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    for (const span of spans) c.each(span);
    samples.push((process.memoryUsage().heapUsed - heap0) / spans.length);
  }
  return median(samples);
});
await meterProvider.shutdown();
console.log(`costspan hot-path bench: ${SPANS} spans × ${ROUNDS} rounds (median ns/span; bytes allocated/span)`);
for (const [i, c] of cases.entries()) {
  console.log(
    `  ${c.label.padEnd(58)} ${median(times[i] as number[])
      .toFixed(0)
      .padStart(6)} ns ${(bytes[i] as number).toFixed(0).padStart(6)} B`,
  );
}
