// Added latency of the openai instrumentation per `chat.completions.create` call, against a local HTTP server,
// instrumented vs not, measured in one run.
//
// - The server answers from this thread (BENCH_SERVER=worker: from a worker thread). Wall time per call is what
//   the caller sees; CPU time per call (process.cpuUsage) is printed too, being far less disturbed by other
//   processes on a busy machine.
// - Rounds interleave the two arms and alternate which goes first (so garbage one arm leaves behind is collected
//   as often during the other); both arms are warmed up.
// - The setup is what `@costspan/node` gives a user: AsyncLocalStorage context manager, a BatchSpanProcessor and a
//   metric reader. Export is asynchronous (as in BatchSpanProcessor); spans and metrics are exported between timed
//   rounds, and the export's own cost per span is reported on its own line.
//
// Prints µs/call of each arm (sum over rounds), the added latency per call and its ratio (goal <= 5 %).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation } from '../dist/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 1_000;

const payload = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1754400000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13, prompt_tokens_details: { cached_tokens: 0 } },
  service_tier: 'default',
});
const serverSource = `
  const { createServer } = require('node:http');
  const { parentPort, workerData } = require('node:worker_threads');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(workerData);
    });
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.on('message', () => server.close(() => process.exit(0)));
`;
const INLINE = process.env.BENCH_SERVER !== 'worker';
let server;
let port;
if (INLINE) {
  const { createServer } = await import('node:http');
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
} else {
  server = new Worker(serverSource, { eval: true, workerData: payload });
  port = await new Promise((resolve) => server.once('message', resolve));
}

// Export as an OTLP/JSON exporter would: serialize each batch, on a later turn of the event loop.
let exported = 0;
let exportMs = 0;
const exporter = {
  export(spans, done) {
    setImmediate(() => {
      const start = performance.now();
      const body = JSON.stringify(
        spans.map((s) => ({
          name: s.name,
          kind: s.kind,
          traceId: s.spanContext().traceId,
          spanId: s.spanContext().spanId,
          start: s.startTime,
          end: s.endTime,
          attributes: s.attributes,
          status: s.status,
        })),
      );
      exported += spans.length;
      exportMs += performance.now() - start;
      done({ code: body.length > 0 ? 0 : 1 });
    });
  },
  shutdown: async () => {},
};
if (process.env.BENCH_NO_CM !== '1') context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(tracerProvider);
const metricReader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [metricReader] });
metrics.setGlobalMeterProvider(meterProvider);

const instrumentation = new OpenAIInstrumentation({ enabled: false });
instrumentation.setTracerProvider(tracerProvider);
instrumentation.setMeterProvider(meterProvider);
const require = createRequire(import.meta.url);
const openai = require('openai');
const [definition] = instrumentation.getModuleDefinitions();
const client = new openai.OpenAI({ apiKey: 'sk-bench', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
/** @type {import('openai').OpenAI.ChatCompletionCreateParamsNonStreaming} */
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] };

const arms = {
  plain: { on: () => definition.unpatch(openai), ms: 0, cpuMs: 0 },
  instrumented: { on: () => definition.patch(openai), ms: 0, cpuMs: 0 },
};

async function settle() {
  await tracerProvider.forceFlush();
  await metricReader.forceFlush();
}

async function run(arm, n) {
  arm.on();
  await settle();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await client.chat.completions.create(body);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  arm.ms += ms;
  arm.cpuMs += (used.user + used.system) / 1000;
  return ms;
}

for (const arm of [arms.plain, arms.instrumented, arms.plain, arms.instrumented]) await run(arm, WARMUP / 2);
await settle();
exported = 0;
exportMs = 0;
for (const arm of Object.values(arms)) {
  arm.ms = 0;
  arm.cpuMs = 0;
}

const per = Math.ceil(CALLS / ROUNDS);
const perRound = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['plain', 'instrumented'] : ['instrumented', 'plain'];
  const times = {};
  for (const name of order) times[name] = await run(arms[name], per);
  perRound.push(times.instrumented / times.plain - 1);
}
await settle();

const calls = per * ROUNDS;
const perCall = (ms) => (ms / calls) * 1000;
const plain = perCall(arms.plain.ms);
const instrumented = perCall(arms.instrumented.ms);
const ratio = (instrumented - plain) / plain;
const plainCpu = perCall(arms.plain.cpuMs);
const instrumentedCpu = perCall(arms.instrumented.cpuMs);
const median = [...perRound].sort((a, b) => a - b)[perRound.length >> 1];
const pct = (x) => `${(x * 100).toFixed(2)} %`;
console.log(
  `openai chat.completions.create, ${calls} calls per arm in ${ROUNDS} interleaved rounds, server ${INLINE ? 'in this thread' : 'on a worker thread'}, node ${process.version}`,
);
console.log(`  uninstrumented: ${plain.toFixed(1)} µs/call`);
console.log(`  instrumented:   ${instrumented.toFixed(1)} µs/call  (${exported} spans exported)`);
console.log(
  `  added latency:  ${(instrumented - plain).toFixed(1)} µs/call = ${pct(ratio)} (median of rounds ${pct(median)}; goal <= 5 %)`,
);
console.log(
  `  CPU time:       ${plainCpu.toFixed(1)} -> ${instrumentedCpu.toFixed(1)} µs/call, added ${(instrumentedCpu - plainCpu).toFixed(1)} µs = ${pct((instrumentedCpu - plainCpu) / plainCpu)}`,
);
console.log(`  async export (between rounds): ${((exportMs / Math.max(exported, 1)) * 1000).toFixed(1)} µs/span`);
await tracerProvider.shutdown();
await meterProvider.shutdown();
if (INLINE) server.close();
else server.postMessage('close');
