// One arm in a process of its own: node --expose-gc src/child.mjs <arm> <server url>
// Installs the SDK pipeline every arm shares (AsyncLocalStorage context, one global TracerProvider, the arm's
// processors, then a BatchSpanProcessor whose exporter encodes each batch to OTLP protobuf and counts the bytes —
// no network export), switches the arm on, loads `openai` with `require` and times `chat.completions.create`
// against the parent's loopback server. Prints one JSON line.
//
// Per call: wall time and CPU time (process.cpuUsage, user + system) over timed blocks that end with the
// provider's forceFlush, so the span's export encoding is counted; V8 heap bytes allocated (process.memoryUsage
// heapUsed growth after a full gc() over a block that saw no GC; the flush included); OTLP protobuf bytes exported.
import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ARMS, costProcessors } from './arms.mjs';

const [arm, url] = process.argv.slice(2);
if (ARMS[arm] === undefined || url === undefined)
  throw new Error(`usage: child.mjs <${Object.keys(ARMS).join('|')}> <url>`);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const BLOCK_CALLS = Number(process.env.BENCH_BLOCK_CALLS ?? 200);
const ALLOC_BLOCKS = Number(process.env.BENCH_ALLOC_BLOCKS ?? 5);
const ALLOC_CALLS = Number(process.env.BENCH_ALLOC_CALLS ?? 50);
const SAMPLE = process.env.BENCH_SAMPLE === '1';
const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

/** Encodes every batch as an OTLP/HTTP protobuf exporter would before sending, and counts. */
class CountingProtobufExporter {
  bytes = 0;
  spans = 0;
  sample = undefined;
  export(spans, done) {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    this.bytes += body?.length ?? 0;
    this.spans += spans.length;
    if (SAMPLE && this.sample === undefined && spans.length > 0) {
      this.sample = spans.map((s) => ({ name: s.name, attributes: s.attributes }));
    }
    done({ code: 0 });
  }
  async shutdown() {}
  async forceFlush() {}
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new CountingProtobufExporter();
const provider = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench-peers', 'service.version': '1.0.0' }),
  spanProcessors: [...(await costProcessors(arm)), new BatchSpanProcessor({ exporter, maxExportBatchSize: 512 })],
});
trace.setGlobalTracerProvider(provider);
await ARMS[arm].setup({ provider, tracer: provider.getTracer('bench-peers') });

const require = createRequire(import.meta.url);
const { OpenAI } = require('openai');
const client = new OpenAI({ apiKey: 'sk-bench', baseURL: `${url}/v1`, maxRetries: 0 });
const request = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Answer in one word.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  max_tokens: 16,
};
const call = () => client.chat.completions.create(request);

let gcs = 0;
new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

for (let i = 0; i < WARMUP; i++) await call();
await provider.forceFlush();

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Timed blocks.
const wall = [];
const cpu = [];
const bytesBefore = exporter.bytes;
const spansBefore = exporter.spans;
for (let b = 0; b < BLOCKS; b++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < BLOCK_CALLS; i++) await call();
  await provider.forceFlush();
  const ns = Number(process.hrtime.bigint() - t0);
  const used = process.cpuUsage(c0);
  wall.push(ns / 1000 / BLOCK_CALLS);
  cpu.push((used.user + used.system) / BLOCK_CALLS);
}
const calls = BLOCKS * BLOCK_CALLS;
const exportedBytes = (exporter.bytes - bytesBefore) / calls;
const spansPerCall = (exporter.spans - spansBefore) / calls;

// Allocation blocks: heap growth over a block with no GC inside (a block that saw one is not counted).
const alloc = [];
for (let b = 0; b < ALLOC_BLOCKS * 3 && alloc.length < ALLOC_BLOCKS; b++) {
  gc();
  gc();
  // The observer hears of those collections asynchronously: let it, before the block is judged by its count.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const gcsBefore = gcs;
  const h0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < ALLOC_CALLS; i++) await call();
  await provider.forceFlush();
  const h1 = process.memoryUsage().heapUsed;
  // The observer is notified asynchronously: let it catch up before judging the block.
  await new Promise((resolve) => setTimeout(resolve, 10));
  if (gcs === gcsBefore) alloc.push((h1 - h0) / ALLOC_CALLS);
}

await provider.shutdown();
console.log(
  JSON.stringify({
    arm,
    node: process.version,
    wallUs: median(wall),
    cpuUs: median(cpu),
    allocBytes: alloc.length > 0 ? median(alloc) : null,
    exportedBytes,
    spansPerCall,
    sample: exporter.sample,
  }),
);
