/**
 * GPU node allocation through CostSpanProcessor (onStart → onEnding), one run:
 *   (a) CostSpanProcessor without `gpu` (the baseline),
 *   (b) CostSpanProcessor with one GPU node serving every span (streaming mode, time share),
 * on identical spans: 100k model calls to a self-hosted model at an OpenAI-compatible address, with up to 1,000
 * in flight at once (span i starts at T0 + i ms and ends 1 s later, on the spans' own clock; spans are started and
 * ended in time order, 1,000 open at a time). No exporter: the time is span creation plus the processor.
 * Reports ns per span (median of interleaved rounds), the ratio (b)/(a), and heap growth after GC mid-run (1,000
 * spans in flight, and the allocator keeping every call that ended in a still-open window: at 1,000 calls/s of
 * span time, up to 60k per 60 s window) and after the run (windows closed by forceFlush).
 */

import { CostSpanProcessor } from '@costspan/processor';
import { type Attributes, type Span, SpanKind } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';

const SPANS = Number(process.env.BENCH_SPANS ?? 100_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WINDOW = 60_000;

const startAttributes: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'acme/house-7b',
  'server.address': 'vllm.internal',
  'server.port': 8000,
};
const endAttributes: Attributes = {
  'gen_ai.response.model': 'acme/house-7b',
  'gen_ai.response.id': 'cmpl-1',
  'gen_ai.usage.input_tokens': 800,
  'gen_ai.usage.output_tokens': 200,
};

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

interface Result {
  nsPerSpan: number;
  heapInFlight: number;
  heapAfter: number;
}

async function run(withGpu: boolean, spans: number): Promise<Result> {
  // Each round on fresh windows ahead of the wall clock, so only the spans' own ends close them.
  const t0 = (Math.floor(Date.now() / WINDOW) + 2) * WINDOW;
  const processor = new CostSpanProcessor(
    withGpu
      ? {
          gpu: {
            nodes: [{ id: 'gpu-a', hourlyRate: 3.6, startTime: t0, match: { 'server.address': 'vllm.internal' } }],
          },
        }
      : {},
  );
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bench');
  const open: Span[] = new Array(IN_FLIGHT);
  const before = heap();
  let heapInFlight = 0;
  let elapsed = 0n;
  let started = process.hrtime.bigint();
  for (let i = 0; i < spans; i++) {
    const slot = i % IN_FLIGHT;
    const previous = open[slot];
    if (previous !== undefined) {
      previous.setAttributes(endAttributes);
      previous.end(t0 + (i - IN_FLIGHT) + 1_000);
    }
    open[slot] = tracer.startSpan('chat acme/house-7b', {
      kind: SpanKind.CLIENT,
      startTime: t0 + i,
      attributes: startAttributes,
    });
    if (i === spans / 2) {
      elapsed += process.hrtime.bigint() - started;
      heapInFlight = heap() - before;
      started = process.hrtime.bigint();
    }
  }
  for (let k = 0; k < IN_FLIGHT; k++) {
    const i = spans + k;
    const span = open[i % IN_FLIGHT] as Span;
    span.setAttributes(endAttributes);
    span.end(t0 + (i - IN_FLIGHT) + 1_000);
  }
  await processor.forceFlush();
  elapsed += process.hrtime.bigint() - started;
  open.fill(undefined as unknown as Span);
  const heapAfter = heap() - before;
  await provider.shutdown();
  return { nsPerSpan: Number(elapsed) / spans, heapInFlight, heapAfter };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

// Warm-up (JIT) on both pipelines.
await run(false, 20_000);
await run(true, 20_000);
const results: Record<'a' | 'b', Result[]> = { a: [], b: [] };
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which pipeline runs first.
  for (const which of r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
    results[which].push(await run(which === 'b', SPANS));
  }
}
const summary = (rs: Result[]) => ({
  ns: median(rs.map((r) => r.nsPerSpan)),
  inFlight: median(rs.map((r) => r.heapInFlight)),
  after: median(rs.map((r) => r.heapAfter)),
});
const a = summary(results.a);
const b = summary(results.b);
console.log(
  `costspan GPU allocation bench: ${SPANS} spans, ${IN_FLIGHT} in flight on one node, ${ROUNDS} rounds per pipeline (median)`,
);
console.log(
  `  (a) CostSpanProcessor, no gpu        ${a.ns.toFixed(0)} ns/span   heap mid-run +${mb(a.inFlight)}, after the run +${mb(a.after)}`,
);
console.log(
  `  (b) CostSpanProcessor + gpu node     ${b.ns.toFixed(0)} ns/span   heap mid-run +${mb(b.inFlight)}, after the run +${mb(b.after)}`,
);
console.log(
  `(b)/(a) = ${(b.ns / a.ns).toFixed(3)}  (+${(b.ns - a.ns).toFixed(0)} ns per span for start + end on the node, window closes included)`,
);
console.log(
  `heap growth of GPU allocation: ${mb(b.inFlight - a.inFlight)} mid-run (${IN_FLIGHT} in flight + the calls ended in open windows), ${mb(b.after - a.after)} after the run`,
);
