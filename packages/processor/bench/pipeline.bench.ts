/**
 * One run, three pipelines on identical spans:
 *   (a) TracerProvider + BatchSpanProcessor + OTLP JSON serialization (the baseline),
 *   (b) the same + CostSpanProcessor, on inference spans,
 *   (c) the same + CostSpanProcessor, on non-inference spans only.
 * (b) is compared with (a) on the same inference spans, (c) with (a) on the same non-inference spans.
 * (d) isolates what the added attributes themselves cost downstream: the same inference spans created already
 * carrying the cost attributes, without CostSpanProcessor; (b)/(d) is the processor's own computation.
 * Rounds are interleaved and the median per pipeline is reported, so machine noise hits all pipelines alike.
 * Goals: (b)/(a) ≤ 1.05, (c)/(a) ≤ 1.01.
 */

import { CostSpanProcessor, createCostCore } from '@costspan/processor';
import type { Attributes } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

const SPANS_PER_ROUND = Number(process.env.BENCH_SPANS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const WARMUP_ROUNDS = 3;

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

// Ten-odd attributes each, as real instrumentations produce.
const inference: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.response.model': 'gpt-4o-2024-08-06',
  'gen_ai.response.id': 'chatcmpl-AxN1',
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 500,
  'gen_ai.usage.cache_read.input_tokens': 200,
  'server.address': 'api.openai.com',
  'server.port': 443,
};
const plain: Attributes = {
  'http.request.method': 'GET',
  'url.full': 'https://api.example.com/v1/orders/42',
  'url.scheme': 'https',
  'url.path': '/v1/orders/42',
  'http.response.status_code': 200,
  'server.address': 'api.example.com',
  'server.port': 443,
  'network.protocol.version': '1.1',
  'user_agent.original': 'node',
  'http.route': '/v1/orders/:id',
};

/** The inference spans as they leave (b): the same attributes plus the cost attributes, for pipeline (d). */
const inferenceWithCost: Attributes = {
  ...inference,
  ...createCostCore().annotate({ name: 'chat gpt-4o', attributes: inference })?.attributes,
};

interface Pipeline {
  name: string;
  attributes: Attributes;
  spanName: string;
  provider: TracerProvider;
}

function pipeline(name: string, spanName: string, attributes: Attributes, withCost: boolean): Pipeline {
  const batch = new BatchSpanProcessor({
    exporter: new JsonSerializingExporter(),
    maxQueueSize: SPANS_PER_ROUND * 2,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 60_000,
  });
  const spanProcessors = withCost ? [new CostSpanProcessor(), batch] : [batch];
  return { name, attributes, spanName, provider: new TracerProvider({ spanProcessors }) };
}

async function round(p: Pipeline): Promise<number> {
  const tracer = p.provider.getTracer('bench');
  const start = process.hrtime.bigint();
  for (let i = 0; i < SPANS_PER_ROUND; i++) tracer.startSpan(p.spanName, { attributes: p.attributes }).end();
  await p.provider.forceFlush();
  return Number(process.hrtime.bigint() - start) / SPANS_PER_ROUND; // ns per span
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const pipelines = [
  pipeline('(a) baseline, inference spans', 'chat gpt-4o', inference, false),
  pipeline('(b) + CostSpanProcessor, inference spans', 'chat gpt-4o', inference, true),
  pipeline('(d) baseline, spans already carrying the cost attrs', 'chat gpt-4o', inferenceWithCost, false),
  pipeline('(a) baseline, non-inference spans', 'GET /v1/orders/:id', plain, false),
  pipeline('(c) + CostSpanProcessor, non-inference spans', 'GET /v1/orders/:id', plain, true),
];
const samples = pipelines.map(() => [] as number[]);
const gc = (globalThis as { gc?: () => void }).gc;
for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
  // Rotate the order every round so no pipeline always runs right after another.
  for (let k = 0; k < pipelines.length; k++) {
    const i = (k + r) % pipelines.length;
    gc?.();
    const ns = await round(pipelines[i] as Pipeline);
    if (r >= WARMUP_ROUNDS) samples[i]?.push(ns);
  }
}
const med = samples.map(median);
console.log(`costspan processor bench: ${SPANS_PER_ROUND} spans × ${ROUNDS} rounds per pipeline (median ns/span)`);
for (const [i, p] of pipelines.entries()) console.log(`  ${p.name.padEnd(48)} ${(med[i] as number).toFixed(0)} ns`);
const [aInf, b, d, aPlain, c] = med as [number, number, number, number, number];
console.log(`(b)/(a) = ${(b / aInf).toFixed(3)}  (goal ≤ 1.05; +${(b - aInf).toFixed(0)} ns per inference span)`);
console.log(
  `  of which carrying and serializing the ${Object.keys(inferenceWithCost).length - Object.keys(inference).length} added attributes: (d)/(a) = ${(d / aInf).toFixed(3)}; computing them: (b)/(d) = ${(b / d).toFixed(3)} (+${(b - d).toFixed(0)} ns)`,
);
console.log(
  `(c)/(a) = ${(c / aPlain).toFixed(3)}  (goal ≤ 1.01; +${(c - aPlain).toFixed(0)} ns per non-inference span)`,
);
for (const p of pipelines) await p.provider.shutdown();
