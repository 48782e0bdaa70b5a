/**
 * Fills a DuckDB store with the collector's published schema (packages/collector/sql/store-schema.sql) from span
 * specs priced by the real price book, the way the collector's pipeline writes them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPriceBook } from '@costspan/pricing';
import { DuckDBInstance } from '@duckdb/node-api';

export interface SpanSpec {
  time: string;
  traceId: string;
  spanId: string;
  provider: string;
  model: string;
  feature?: string;
  tenant?: string;
  input: number;
  output: number;
  cacheRead?: number;
  node?: string;
  /** For node spans: the allocated GPU direct cost in nanos. */
  gpuNanos?: number;
}

export interface WindowSpec {
  node: string;
  start: string;
  seconds: number;
  nodeCostNanos: number;
  directNanos: number;
  busySeconds: number;
  requests: number;
}

const SCHEMA = readFileSync(new URL('../../../collector/sql/store-schema.sql', import.meta.url), 'utf8');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'costspan-reporting-'));
}

const ts = (iso: string) => iso.replace('T', ' ').replace('Z', '');

export async function createStore(path: string, spans: readonly SpanSpec[], windows: readonly WindowSpec[] = []) {
  const book = createPriceBook();
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run(SCHEMA);
  for (const s of spans) {
    const priced =
      s.node !== undefined
        ? null
        : book.price({
            provider: s.provider,
            model: s.model,
            usage: { inputTokens: s.input, outputTokens: s.output, cacheReadTokens: s.cacheRead ?? 0 },
            timestamp: Date.parse(s.time),
          });
    const ok = priced !== null && priced.status !== 'unpriced' ? priced : null;
    const gpu = s.node !== undefined ? (s.gpuNanos ?? 0) : null;
    const cost = ok ? ok.nanos.amount : gpu;
    const status = ok ? ok.status : s.node !== undefined ? 'priced' : 'unpriced';
    const startUs = BigInt(Date.parse(s.time)) * 1000n;
    await c.run(
      `INSERT INTO inference_spans (trace_id, span_id, start_time, end_time, start_time_unix_nano, duration_ms, service_name,
         operation, provider, request_model, response_model, feature, tenant, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, pricing_status, pricing_model, cost_nanos, cost_input_nanos,
         cost_output_nanos, cost_cache_read_nanos, cost_cache_write_nanos, cost_request_nanos, cost_gpu_nanos,
         cost_idle_nanos, cost_overhead_nanos, gpu_node, received_at)
       VALUES ($1, $2, make_timestamp($3::BIGINT), make_timestamp($3::BIGINT + 1000000), $3::BIGINT * 1000, 1000, 'app', 'chat', $4, $5, $5,
         $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, $15, $16, 0, 0, $17, 0, 0, $18, make_timestamp($3::BIGINT))`,
      [
        s.traceId,
        s.spanId,
        startUs,
        s.provider,
        s.model,
        s.feature ?? null,
        s.tenant ?? null,
        s.input,
        s.output,
        s.cacheRead ?? 0,
        status,
        ok ? ok.model : s.node !== undefined ? s.model : null,
        cost === null ? null : BigInt(cost),
        ok ? BigInt(ok.nanos.input) : 0n,
        ok ? BigInt(ok.nanos.output) : 0n,
        ok ? BigInt(ok.nanos.cacheRead) : 0n,
        gpu === null ? 0n : BigInt(gpu),
        s.node ?? null,
      ],
    );
  }
  for (const w of windows) {
    await c.run(
      `INSERT INTO gpu_node_windows VALUES ($1, $2::TIMESTAMP, $2::TIMESTAMP + to_seconds($3::DOUBLE), 'USD', $4, $5, $4 - $5, 0, 0,
         $4 / 1e9, $6, $6 / $3, $7, 'time', 'separate')`,
      [w.node, ts(w.start), w.seconds, BigInt(w.nodeCostNanos), BigInt(w.directNanos), w.busySeconds, w.requests],
    );
  }
  c.closeSync();
  instance.closeSync();
  return book;
}

/** A month of traffic with known answers. */
export function octoberSpans(): { spans: SpanSpec[]; windows: WindowSpec[] } {
  const spans: SpanSpec[] = [];
  let n = 0;
  const id = () => {
    n++;
    return { traceId: n.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0') };
  };
  // 20 gpt-4o-mini requests for "percentiles": output 100·k tokens at $0.60/M → k × $0.00006.
  for (let k = 1; k <= 20; k++) {
    spans.push({
      time: `2026-10-01T10:${String(k).padStart(2, '0')}:00Z`,
      ...id(),
      provider: 'openai',
      model: 'gpt-4o-mini',
      feature: 'percentiles',
      tenant: 'acme',
      input: 0,
      output: 100 * k,
    });
  }
  // gpt-4o "summarize" on two days, with cache reads.
  for (const day of ['01', '02']) {
    for (let k = 0; k < 3; k++) {
      spans.push({
        time: `2026-10-${day}T12:0${k}:00Z`,
        ...id(),
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        feature: 'summarize',
        tenant: k === 0 ? 'globex' : 'acme',
        input: 1000,
        cacheRead: 200,
        output: 500,
      });
    }
  }
  // Anthropic "chat".
  for (let k = 0; k < 2; k++) {
    spans.push({
      time: `2026-10-01T14:0${k}:00Z`,
      ...id(),
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      feature: 'chat',
      tenant: 'globex',
      input: 2000,
      output: 300,
    });
  }
  // An unknown model: unpriced, never $0.
  spans.push({
    time: '2026-10-01T15:00:00Z',
    ...id(),
    provider: 'openai',
    model: 'mystery-model',
    feature: 'chat',
    tenant: 'acme',
    input: 10,
    output: 10,
  });
  // Self-hosted node spans.
  for (let k = 0; k < 3; k++) {
    spans.push({
      time: `2026-10-01T16:00:${String(k * 10).padStart(2, '0')}Z`,
      ...id(),
      provider: 'vllm',
      model: 'llama-3.1-8b',
      feature: 'chat',
      tenant: 'acme',
      input: 500,
      output: 200,
      node: 'gpu-a',
      gpuNanos: 5_000_000 * (k + 1),
    });
  }
  // September: summarize was cheaper per request (less output).
  for (let k = 0; k < 2; k++) {
    spans.push({
      time: `2026-09-2${k}T12:00:00Z`,
      ...id(),
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      feature: 'summarize',
      tenant: 'acme',
      input: 1000,
      output: 100,
    });
  }
  const windows: WindowSpec[] = [
    // $2.49/h node: 60 s = $0.0415. 30 busy seconds, 3 requests, direct $0.03.
    {
      node: 'gpu-a',
      start: '2026-10-01T16:00:00Z',
      seconds: 60,
      nodeCostNanos: 41_500_000,
      directNanos: 30_000_000,
      busySeconds: 30,
      requests: 3,
    },
    {
      node: 'gpu-a',
      start: '2026-10-01T16:01:00Z',
      seconds: 60,
      nodeCostNanos: 41_500_000,
      directNanos: 0,
      busySeconds: 0,
      requests: 0,
    },
  ];
  return { spans, windows };
}
