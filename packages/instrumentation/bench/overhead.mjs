// Overhead of the openai instrumentation: 10,000 chat.completions.create calls to a local server with the
// instrumentation enabled, and 10,000 without, interleaved in rounds in one run. Prints mean per-call latency of
// each and the added-latency ratio (goal <= 5 %).
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation } from '../dist/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const ROUNDS = 10;

const payload = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1754400000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13, prompt_tokens_details: { cached_tokens: 0 } },
  service_tier: 'default',
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(payload);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

let exported = 0;
const exporter = {
  export(spans, done) {
    exported += spans.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
};
const tracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(tracerProvider);
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
      exportIntervalMillis: 1000,
    }),
  ],
});
metrics.setGlobalMeterProvider(meterProvider);

const instrumentation = new OpenAIInstrumentation({ enabled: false });
instrumentation.setTracerProvider(tracerProvider);
instrumentation.setMeterProvider(meterProvider);
const require = createRequire(import.meta.url);
const { OpenAI } = require('openai');
const [definition] = instrumentation.getModuleDefinitions();
const client = new OpenAI({ apiKey: 'sk-bench', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] };

async function run(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) await client.chat.completions.create(body);
  return performance.now() - start;
}

await run(500); // warm-up, uninstrumented
definition.patch(require('openai'));
await run(500); // warm-up, instrumented
definition.unpatch(require('openai'));

const per = CALLS / ROUNDS;
let plainMs = 0;
let instrumentedMs = 0;
for (let round = 0; round < ROUNDS; round++) {
  plainMs += await run(per);
  definition.patch(require('openai'));
  instrumentedMs += await run(per);
  definition.unpatch(require('openai'));
}
await tracerProvider.forceFlush();

const plain = (plainMs / CALLS) * 1000;
const instrumented = (instrumentedMs / CALLS) * 1000;
const ratio = (instrumented - plain) / plain;
console.log(`openai chat.completions.create, ${CALLS} calls each, local HTTP server, node ${process.version}`);
console.log(`  uninstrumented: ${plain.toFixed(1)} µs/call`);
console.log(`  instrumented:   ${instrumented.toFixed(1)} µs/call  (${exported} spans exported)`);
console.log(
  `  added latency:  ${(instrumented - plain).toFixed(1)} µs/call = ${(ratio * 100).toFixed(2)} % (goal <= 5 %)`,
);
await tracerProvider.shutdown();
await meterProvider.shutdown();
server.close();
