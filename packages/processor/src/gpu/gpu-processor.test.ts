import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GpuConfig, GpuConfigError } from '@costspan/allocation';
import { createTestMetrics, createTestTracing, type TestMetrics, type TestTracing } from '@costspan/testing';
import * as otelApi from '@opentelemetry/api';
import { type Attributes, context, DiagLogLevel, diag, type Span, SpanKind, trace } from '@opentelemetry/api';
import { logs as apiLogs, type LoggerProvider as LoggerProviderApi } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CostSpanProcessor } from '../cost-span-processor.js';
import type { CostReadableSpan, CostSpanProcessorOptions, DownstreamSpanProcessor } from '../types.js';

const W = 60_000;
/**
 * A window boundary two windows ahead of the wall clock. Nodes start there, so the processor's timer (which
 * closes windows the wall clock has passed) never touches these windows: only span ends, flush and shutdown do.
 */
const T0 = (Math.floor(Date.now() / W) + 2) * W;
const at = (seconds: number) => T0 + seconds * 1000;

/** $3.60 an hour: 1,000 micro-dollars a second, $0.06 a window. */
const gpuA = {
  id: 'gpu-a',
  hourlyRate: 3.6,
  startTime: T0,
  match: { 'server.address': 'vllm.internal', 'server.port': 8000 },
};
const gpuB = { id: 'gpu-b', hourlyRate: 3.6, startTime: T0, match: { resource: { 'host.name': 'gpu-b' } } };

/** An OpenAI-compatible client span pointed at vLLM: model and address at start, usage at the end. */
const clientStart: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'acme/house-7b',
  'server.address': 'vllm.internal',
  'server.port': 8000,
};
const clientEnd: Attributes = { 'gen_ai.usage.input_tokens': 800, 'gen_ai.usage.output_tokens': 200 };

interface Request {
  name: string;
  start: number;
  end: number;
  attributes?: Attributes;
  endAttributes?: Attributes;
  parent?: Span;
}

let tracing: TestTracing | undefined;
let metrics: TestMetrics | undefined;
let loggers: LoggerProvider | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  await metrics?.shutdown();
  await loggers?.shutdown();
  tracing = undefined;
  metrics = undefined;
  loggers = undefined;
  vi.restoreAllMocks();
});

/** A recording downstream processor (windowed mode wraps it); keeps what it got even after shutdown. */
class Recorder implements DownstreamSpanProcessor {
  readonly spans: CostReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: CostReadableSpan): void {
    this.spans.push(span);
  }
  span(name: string): CostReadableSpan {
    const found = this.spans.find((s) => s.name === name);
    if (!found) throw new Error(`no span '${name}' (have ${this.spans.map((s) => s.name).join(', ') || 'none'})`);
    return found;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function setup(gpu: GpuConfig | string, options: { windowed?: boolean; loggerProvider?: LoggerProviderApi } = {}) {
  metrics = createTestMetrics();
  const logExporter = new InMemoryLogRecordExporter();
  loggers = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  const recorder = new Recorder();
  const base: CostSpanProcessorOptions = {
    meterProvider: metrics.meterProvider,
    loggerProvider: options.loggerProvider ?? loggers,
    gpu,
  };
  const processor = new CostSpanProcessor(options.windowed ? { ...base, next: recorder } : base);
  tracing = createTestTracing(
    options.windowed
      ? { exportProcessor: () => processor, resource: { 'service.name': 'app' } }
      : { spanProcessors: [processor], resource: { 'service.name': 'app' } },
  );
  const t = tracing;
  const m = metrics;
  return {
    processor,
    tracing: t,
    metrics: m,
    recorder,
    /** Window records exported so far, by node then window start. */
    windows(node?: string): Record<string, unknown>[] {
      return logExporter
        .getFinishedLogRecords()
        .filter((r: ReadableLogRecord) => r.eventName === 'costspan.allocation.window')
        .map((r) => ({ ...r.attributes }) as Record<string, unknown>)
        .filter((a) => node === undefined || a['costspan.gpu.node'] === node)
        .sort(
          (x, y) =>
            String(x['costspan.gpu.node']).localeCompare(String(y['costspan.gpu.node'])) ||
            (x['costspan.allocation.window.start'] as number) - (y['costspan.allocation.window.start'] as number),
        );
    },
    /** Starts and ends the requests in time order (ends before starts at the same instant). */
    play(requests: Request[]): Map<string, Span> {
      const events: Array<{ at: number; end: boolean; r: Request }> = [];
      for (const r of requests) events.push({ at: r.start, end: false, r }, { at: r.end, end: true, r });
      events.sort((a, b) => a.at - b.at || Number(b.end) - Number(a.end));
      const spans = new Map<string, Span>();
      for (const e of events) {
        if (!e.end) {
          const ctx = e.r.parent ? trace.setSpan(context.active(), e.r.parent) : context.active();
          const attributes = e.r.attributes ?? clientStart;
          spans.set(
            e.r.name,
            t.tracer.startSpan(e.r.name, { kind: SpanKind.CLIENT, startTime: e.r.start, attributes }, ctx),
          );
        } else {
          const span = spans.get(e.r.name) as Span;
          span.setAttributes(e.r.endAttributes ?? clientEnd);
          span.end(e.r.end);
        }
      }
      return spans;
    },
  };
}

const micros = (amount: unknown) => Math.round((amount as number) * 1e6);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('CostSpanProcessor with GPU nodes, streaming mode (default)', () => {
  it('splits a request spanning two windows by time, and prices a self-hosted model unknown to the catalog at its GPU time', async () => {
    const { processor, tracing: t, metrics: m, windows } = setup({ nodes: [gpuA] });
    // 20 s alone on the node, 10 s in each window.
    const span = t.tracer.startSpan('chat acme/house-7b', {
      kind: SpanKind.CLIENT,
      startTime: at(50),
      attributes: clientStart,
    });
    span.setAttributes(clientEnd);
    span.end(at(70));
    const exported = t.span('chat acme/house-7b');
    expect(exported.attributes).toMatchObject({
      'gen_ai.usage.cost.amount': 0.02,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costspan.pricing.status': 'priced',
      'costspan.pricing.source': 'gpu-node:gpu-a',
      'costspan.cost.gpu': 0.02,
      'costspan.gpu.node': 'gpu-a',
      'costspan.gpu.seconds': 20,
      'costspan.gpu.concurrency': 1,
      'costspan.allocation.method': 'time',
      'costspan.allocation.idle': 'separate',
      'costspan.allocation.final': true,
    });
    expect(exported.attributes['costspan.pricing.reason']).toMatch(
      /tokens priced at \$0: the model is served by self-hosted GPU node 'gpu-a'/,
    );
    // Not unpriced: the cost metric has it, the unpriced counter does not.
    expect(await m.points('costspan.pricing.unpriced')).toEqual([]);
    const [cost] = await m.points('gen_ai.client.operation.cost');
    expect((cost as { value: { sum: number } }).value.sum).toBeCloseTo(0.02, 12);

    await processor.forceFlush();
    const records = windows('gpu-a');
    expect(
      records.map((r) => [r['costspan.allocation.window.start'], micros(r['costspan.allocation.direct_cost'])]),
    ).toEqual([
      [at(0), 10_000],
      [at(60), 10_000],
    ]);
    expect(records[0]).toMatchObject({
      'costspan.allocation.record': 'costspan.allocation.window',
      'costspan.allocation.window.end': at(60),
      'costspan.allocation.node_cost': 0.06,
      'costspan.allocation.idle_cost': 0.05,
      'costspan.allocation.idle_shared_cost': 0,
      'costspan.allocation.overhead_cost': 0,
      'costspan.allocation.requests': 1,
      'costspan.gpu.utilization': 10 / 60,
      'costspan.gpu.utilization_source': 'spans',
      'gen_ai.usage.cost.currency': 'USD',
    });
  });

  it('reports a window with no requests as all idle, and a node that served nobody still reports its cost', async () => {
    const { processor, metrics: m, windows, play } = setup({ nodes: [gpuA, gpuB] });
    play([{ name: 'late', start: at(130), end: at(136) }]);
    await processor.forceFlush();
    const a = windows('gpu-a');
    expect(
      a.map((r) => [micros(r['costspan.allocation.direct_cost']), micros(r['costspan.allocation.idle_cost'])]),
    ).toEqual([
      [0, 60_000],
      [0, 60_000],
      [6_000, 54_000],
    ]);
    expect(a[0]?.['costspan.gpu.utilization']).toBe(0);
    const b = windows('gpu-b');
    expect(
      b.map((r) => [
        micros(r['costspan.allocation.node_cost']),
        micros(r['costspan.allocation.idle_cost']),
        r['costspan.allocation.requests'],
      ]),
    ).toEqual([
      [60_000, 60_000, 0],
      [60_000, 60_000, 0],
      [60_000, 60_000, 0],
    ]);
    // Metrics: busy + idle per node is the node's bill for the period.
    const points = await m.points('costspan.gpu.node.cost');
    const value = (node: string, state: string) =>
      points.find((p) => p.attributes['costspan.gpu.node'] === node && p.attributes['costspan.gpu.state'] === state)
        ?.value as number;
    expect(points[0]?.unit).toBe('{USD}');
    expect(points[0]?.attributes['gen_ai.usage.cost.currency']).toBe('USD');
    expect(value('gpu-a', 'busy')).toBeCloseTo(0.006, 12);
    expect(value('gpu-a', 'idle')).toBeCloseTo(0.174, 12);
    expect(value('gpu-b', 'busy')).toBe(0);
    expect(value('gpu-b', 'idle')).toBeCloseTo(0.18, 12);
    const utilization = await m.points('costspan.gpu.node.utilization');
    expect(
      utilization.map((p) => [
        p.attributes['costspan.gpu.node'],
        p.attributes['costspan.gpu.utilization_source'],
        p.value,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['gpu-a', 'spans', 0.1],
        ['gpu-b', 'spans', 0],
      ]),
    );
  });

  it('splits the rate between two concurrent requests; the HTTP span beneath a call is not a request; ancestors carry the GPU cost', () => {
    const { tracing: t, play } = setup({ nodes: [gpuA] });
    const handler = t.tracer.startSpan('POST /answer', { startTime: at(0) });
    const spans = play([
      { name: 'chat 1', start: at(0), end: at(10), parent: handler },
      { name: 'chat 2', start: at(5), end: at(15), parent: handler },
    ]);
    // An HTTP client span with the same server.address, inside chat 1's time: not a model call.
    const http = t.tracer.startSpan(
      'POST',
      {
        kind: SpanKind.CLIENT,
        startTime: at(1),
        attributes: { 'http.request.method': 'POST', 'server.address': 'vllm.internal', 'server.port': 8000 },
      },
      trace.setSpan(context.active(), spans.get('chat 1') as Span),
    );
    http.end(at(2));
    handler.end(at(16));
    for (const name of ['chat 1', 'chat 2']) {
      expect(t.span(name).attributes).toMatchObject({
        'costspan.cost.gpu': 0.0075,
        'costspan.gpu.seconds': 7.5,
        'costspan.gpu.concurrency': 1.5,
        'gen_ai.usage.cost.amount': 0.0075,
      });
    }
    expect(t.span('POST').attributes['costspan.gpu.node']).toBeUndefined();
    expect(t.span('POST /answer').attributes['costspan.cost.subtree']).toBe(0.015);
  });

  it('with shared idle, marks the end figures provisional and estimates from the previous window; the window record is exact', async () => {
    const { processor, tracing: t, windows, play } = setup({ nodes: [gpuA], idle: 'shared' });
    // 20 % utilization in window 0: three 4 s requests.
    play([
      { name: 'r1', start: at(0), end: at(4) },
      { name: 'r2', start: at(20), end: at(24) },
      { name: 'r3', start: at(40), end: at(44) },
      // Its end passes window 0 plus the grace: window 0 closes.
      { name: 'r4', start: at(62), end: at(63) },
      { name: 'r5', start: at(70), end: at(74) },
    ]);
    expect(t.span('r1').attributes).toMatchObject({
      'costspan.cost.gpu': 0.004,
      'costspan.cost.idle': 0,
      'costspan.allocation.idle': 'shared',
      'costspan.allocation.final': false,
    });
    // Estimated from window 0: idle per direct 0.048 / 0.012 = 4.
    expect(t.span('r5').attributes).toMatchObject({
      'costspan.cost.gpu': 0.004,
      'costspan.cost.idle': 0.016,
      'gen_ai.usage.cost.amount': 0.02,
      'costspan.gpu.utilization': 0.2,
      'costspan.allocation.final': false,
    });
    await processor.forceFlush();
    expect(windows('gpu-a')[0]).toMatchObject({
      'costspan.allocation.node_cost': 0.06,
      'costspan.allocation.direct_cost': 0.012,
      'costspan.allocation.idle_cost': 0.048,
      'costspan.allocation.idle_shared_cost': 0.048,
      'costspan.allocation.requests': 3,
      'costspan.gpu.utilization': 0.2,
    });
  });

  it('matches an explicit costspan.gpu.node first, also when set during the span, and spans on the node host by resource', () => {
    const { tracing: t } = setup({ nodes: [gpuA, gpuB] });
    const explicit = t.tracer.startSpan('explicit', {
      startTime: at(0),
      attributes: { ...clientStart, 'costspan.gpu.node': 'gpu-b' },
    });
    explicit.setAttributes(clientEnd);
    explicit.end(at(3));
    const later = t.tracer.startSpan('set later', { startTime: at(4), attributes: { 'gen_ai.request.model': 'x' } });
    later.setAttributes({ ...clientEnd, 'costspan.gpu.node': 'gpu-b' });
    later.end(at(6));
    expect(t.span('explicit').attributes).toMatchObject({ 'costspan.gpu.node': 'gpu-b', 'costspan.cost.gpu': 0.003 });
    expect(t.span('set later').attributes).toMatchObject({ 'costspan.gpu.node': 'gpu-b', 'costspan.cost.gpu': 0.002 });
  });

  it('accepts the configuration as a YAML file path, and rejects a bad one naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-gpu-'));
    try {
      const file = join(dir, 'gpu.yaml');
      writeFileSync(
        file,
        `gpu:\n  method: requests\n  nodes:\n    - id: gpu-a\n      gpus: 2\n      gpuHourlyRate: 1.8\n      startTime: ${T0}\n      match: { server.address: vllm.internal }\n`,
      );
      const { tracing: t, play } = setup(file);
      play([{ name: 'one', start: at(0), end: at(2) }]);
      expect(t.span('one').attributes).toMatchObject({
        'costspan.gpu.node': 'gpu-a',
        'costspan.allocation.method': 'requests',
      });
      writeFileSync(file, 'gpu:\n  nodes:\n    - id: gpu-a\n      hourlyRate: -1\n');
      expect(() => new CostSpanProcessor({ gpu: file })).toThrow(GpuConfigError);
      expect(() => new CostSpanProcessor({ gpu: file })).toThrow(/gpu\.nodes\[0\]\.hourlyRate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes windows on its timer when no span ends', async () => {
    metrics = createTestMetrics();
    const logExporter = new InMemoryLogRecordExporter();
    loggers = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
    const processor = new CostSpanProcessor({
      meterProvider: metrics.meterProvider,
      loggerProvider: loggers,
      gpu: { window: 250, nodes: [{ id: 'idle-node', hourlyRate: 3.6 }] },
    });
    tracing = createTestTracing({ spanProcessors: [processor] });
    await vi.waitFor(
      () => {
        const record = logExporter.getFinishedLogRecords()[0];
        expect(record?.attributes).toMatchObject({
          'costspan.gpu.node': 'idle-node',
          'costspan.allocation.requests': 0,
        });
      },
      { timeout: 8_000, interval: 50 },
    );
  }, 10_000);

  it('sends window records to the global LoggerProvider by default', async () => {
    // Where the SDK line registers it: @opentelemetry/api's own logs API from 1.10, @opentelemetry/api-logs before.
    const globalLogs = (otelApi as unknown as { logs?: typeof apiLogs }).logs ?? apiLogs;
    const logExporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
    globalLogs.setGlobalLoggerProvider(provider);
    try {
      metrics = createTestMetrics();
      const processor = new CostSpanProcessor({ meterProvider: metrics.meterProvider, gpu: { nodes: [gpuA] } });
      tracing = createTestTracing({ spanProcessors: [processor] });
      const span = tracing.tracer.startSpan('chat', { startTime: at(0), attributes: clientStart });
      span.end(at(1));
      await processor.forceFlush();
      expect(logExporter.getFinishedLogRecords().map((r) => [r.eventName, r.attributes['costspan.gpu.node']])).toEqual([
        ['costspan.allocation.window', 'gpu-a'],
      ]);
    } finally {
      globalLogs.disable();
      await provider.shutdown();
    }
  });

  it('never throws into the host: a failing LoggerProvider is counted and reported once, spans and metrics still flow', async () => {
    const errors = vi.fn();
    diag.setLogger({ error: errors, warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
    const broken = {
      getLogger: () => ({
        emit: () => {
          throw new Error('log pipeline down');
        },
      }),
    } as unknown as LoggerProviderApi;
    const { processor, tracing: t, metrics: m, play } = setup({ nodes: [gpuA] }, { loggerProvider: broken });
    play([
      { name: 'a', start: at(0), end: at(1) },
      { name: 'b', start: at(61), end: at(65) },
      { name: 'c', start: at(125), end: at(126) },
    ]);
    await processor.forceFlush();
    expect(t.spans().map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(t.span('c').attributes['costspan.cost.gpu']).toBe(0.001);
    expect(errors).toHaveBeenCalledTimes(1);
    const [failures] = await m.points('costspan.processor.errors');
    expect(failures?.value).toBeGreaterThanOrEqual(2);
    diag.disable();
  });
});

describe('CostSpanProcessor with GPU nodes, windowed mode', () => {
  it('holds node spans until their window closes, then forwards exact fully-loaded figures that sum to the node cost', async () => {
    const {
      processor,
      tracing: t,
      recorder,
      windows,
      play,
    } = setup({ nodes: [gpuA], idle: 'shared', mode: 'windowed' }, { windowed: true });
    const plain = t.tracer.startSpan('GET /health', { startTime: at(1) });
    plain.end(at(2));
    // 7 requests over two windows, overlapping, one across the boundary.
    const requests: Request[] = [
      { name: 'q1', start: at(0), end: at(7) },
      { name: 'q2', start: at(3), end: at(11) },
      { name: 'q3', start: at(5), end: at(6) },
      { name: 'q4', start: at(30), end: at(33.333) },
      { name: 'q5', start: at(55), end: at(71) },
      { name: 'q6', start: at(60), end: at(64) },
      { name: 'q7', start: at(100), end: at(101.5) },
    ];
    play(requests);
    // Non-GPU spans pass straight through; window 0's spans come out once it closed (q7's end passed it).
    expect(recorder.spans.map((s) => s.name).sort()).toEqual(['GET /health', 'q1', 'q2', 'q3', 'q4']);
    await processor.forceFlush();
    expect(recorder.spans).toHaveLength(8);
    const nodeSpans = recorder.spans.filter((s) => s.name.startsWith('q'));
    for (const span of nodeSpans) {
      expect(span.attributes['costspan.allocation.final']).toBe(true);
      expect(span.attributes['costspan.pricing.status']).toBe('priced');
    }
    const nodeCost = sum(windows('gpu-a').map((r) => micros(r['costspan.allocation.node_cost'])));
    expect(nodeCost).toBe(120_000);
    // Every window had requests: the spans carry the whole node, to the micro-dollar.
    expect(sum(nodeSpans.map((s) => micros(s.attributes['gen_ai.usage.cost.amount'])))).toBe(nodeCost);
    expect(
      sum(nodeSpans.map((s) => micros(s.attributes['costspan.cost.gpu']) + micros(s.attributes['costspan.cost.idle']))),
    ).toBe(nodeCost);
    // The request across the boundary carries its part of each window.
    const q5 = recorder.span('q5').attributes;
    // 5 s alone in window 0; in window 1, 4 s shared with q6 (2) and 7 s alone.
    expect(q5['costspan.gpu.seconds']).toBe(5 + 2 + 7);
  });

  it("with idle kept separate: Σ span GPU cost + the windows' idle lines = the node cost, exactly", async () => {
    const { processor, recorder, windows, play } = setup(
      { nodes: [gpuA], mode: 'windowed', overhead: { percent: 10 } },
      { windowed: true },
    );
    play([
      { name: 'a', start: at(0), end: at(6) },
      { name: 'b', start: at(2), end: at(9.5) },
      { name: 'c', start: at(59), end: at(61.25) },
    ]);
    await processor.forceFlush();
    const records = windows('gpu-a');
    const spans = recorder.spans;
    const gpu = sum(spans.map((s) => micros(s.attributes['costspan.cost.gpu'])));
    const idle = sum(records.map((r) => micros(r['costspan.allocation.idle_cost'])));
    expect(gpu + idle).toBe(sum(records.map((r) => micros(r['costspan.allocation.node_cost']))));
    // Overhead: 10 % of what requests carry, all of it on the requests.
    const overhead = sum(spans.map((s) => micros(s.attributes['costspan.cost.overhead'])));
    expect(overhead).toBe(sum(records.map((r) => micros(r['costspan.allocation.overhead_cost']))));
    // Window 0: 10.5 busy seconds ($0.0105), so $0.00105 overhead.
    expect(records[0]?.['costspan.allocation.overhead_cost']).toBe(0.00105);
    expect(recorder.span('a').attributes).toMatchObject({
      'costspan.cost.gpu': 0.004,
      'costspan.cost.overhead': 0.0004,
      'gen_ai.usage.cost.amount': 0.0044,
      'costspan.allocation.final': true,
    });
  });

  it('converts a monthly overhead budget exactly to each window', async () => {
    const { processor, recorder, windows, play } = setup(
      { nodes: [gpuA], mode: 'windowed', overhead: { monthlyBudget: 43_200 } },
      { windowed: true },
    );
    play([{ name: 'a', start: at(0), end: at(30) }]);
    await processor.forceFlush();
    const day = new Date(T0);
    const daysInMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
    const exact = (43_200 * 1e6 * 60) / (daysInMonth * 86_400);
    const [record] = windows('gpu-a');
    expect(Math.abs(micros(record?.['costspan.allocation.overhead_cost']) - exact)).toBeLessThan(1);
    expect(micros(recorder.span('a').attributes['costspan.cost.overhead'])).toBe(
      micros(record?.['costspan.allocation.overhead_cost']),
    );
  });

  it('past maxHeldSpans sends spans out provisional and counts them', async () => {
    const {
      processor,
      metrics: m,
      recorder,
      play,
    } = setup({ nodes: [gpuA], mode: 'windowed', maxHeldSpans: 2 }, { windowed: true });
    play([
      { name: 'h1', start: at(0), end: at(1) },
      { name: 'h2', start: at(2), end: at(3) },
      { name: 'p1', start: at(4), end: at(5) },
      { name: 'p2', start: at(6), end: at(7) },
    ]);
    expect(recorder.spans.map((s) => [s.name, s.attributes['costspan.allocation.final']])).toEqual([
      ['p1', false],
      ['p2', false],
    ]);
    const [counted] = await m.points('costspan.allocation.provisional');
    expect(counted?.attributes).toEqual({ 'costspan.gpu.node': 'gpu-a' });
    expect(counted?.value).toBe(2);
    await processor.forceFlush();
    expect(recorder.spans.map((s) => [s.name, s.attributes['costspan.allocation.final']])).toEqual([
      ['p1', false],
      ['p2', false],
      ['h1', true],
      ['h2', true],
    ]);
  });

  it('releases every held span on shutdown', async () => {
    const {
      tracing: t,
      recorder,
      windows,
      play,
    } = setup({ nodes: [gpuA], mode: 'windowed', method: 'tokens' }, { windowed: true });
    play([
      {
        name: 'small',
        start: at(0),
        end: at(10),
        endAttributes: { 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 25 },
      },
      {
        name: 'large',
        start: at(0),
        end: at(10),
        endAttributes: { 'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 75 },
      },
    ]);
    expect(recorder.spans).toEqual([]);
    await t.provider.shutdown();
    tracing = undefined;
    expect(recorder.spans.map((s) => s.name)).toEqual(['small', 'large']);
    // Tokens method: 10 busy seconds ($0.01) split 1 : 3 by token weight.
    expect(recorder.span('small').attributes).toMatchObject({
      'costspan.cost.gpu': 0.0025,
      'costspan.allocation.final': true,
    });
    expect(recorder.span('large').attributes).toMatchObject({
      'costspan.cost.gpu': 0.0075,
      'costspan.allocation.final': true,
    });
    expect(windows('gpu-a')).toHaveLength(1);
  });

  it('records the cost metric once per held span, with its final amount', async () => {
    const {
      processor,
      metrics: m,
      play,
    } = setup({ nodes: [gpuA], mode: 'windowed', idle: 'shared' }, { windowed: true });
    play([{ name: 'only', start: at(0), end: at(15) }]);
    expect(await m.points('gen_ai.client.operation.cost')).toEqual([]);
    await processor.forceFlush();
    const [cost] = await m.points('gen_ai.client.operation.cost');
    const value = cost?.value as { count: number; sum: number };
    expect(value.count).toBe(1);
    expect(value.sum).toBeCloseTo(0.06, 12);
  });

  it('without a downstream processor to hold from, falls back to streaming and says so', () => {
    const warn = vi.fn();
    diag.setLogger({ error() {}, warn, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    const { tracing: t, play } = setup({ nodes: [gpuA], mode: 'windowed' });
    play([{ name: 'x', start: at(0), end: at(1) }]);
    expect(t.span('x').attributes['costspan.cost.gpu']).toBe(0.001);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("'windowed' needs the exporting processor"));
    diag.disable();
  });
});
