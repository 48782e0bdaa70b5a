import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricReadersFromEnv, spanProcessorsFromEnv } from './exporters.js';

const received: { path: string; contentType?: string; auth?: string; bytes: number }[] = [];
const server = createServer(async (req, res) => {
  let bytes = 0;
  for await (const chunk of req) bytes += (chunk as Buffer).length;
  received.push({
    path: req.url ?? '',
    contentType: req.headers['content-type'],
    auth: req.headers.authorization,
    bytes,
  });
  res.writeHead(200).end();
});
let endpoint: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const noWarnings = (_key: string, message: string) => {
  throw new Error(message);
};

describe('exporters from the environment', () => {
  it('OTLP defaults to http/protobuf behind a batch processor, at the endpoint with the headers', async () => {
    received.length = 0;
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/otlp`,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer t',
    };
    const processors = spanProcessorsFromEnv(env, noWarnings);
    expect(processors).toHaveLength(1);
    expect(processors[0]).toBeInstanceOf(BatchSpanProcessor);
    const provider = new TracerProvider({ spanProcessors: processors });
    provider.getTracer('t').startSpan('work').end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(received).toEqual([
      { path: '/otlp/v1/traces', contentType: 'application/x-protobuf', auth: 'Bearer t', bytes: expect.any(Number) },
    ]);
  });

  it('metrics over http/json from the metrics endpoint; none gives no reader', async () => {
    received.length = 0;
    const env = {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${endpoint}/m`,
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '3600000',
    };
    const readers = metricReadersFromEnv(env, noWarnings);
    expect(readers).toHaveLength(1);
    const provider = new MeterProvider({ readers: readers as PeriodicExportingMetricReader[] });
    provider.getMeter('m').createCounter('requests').add(1);
    await provider.shutdown();
    expect(received.map((r) => [r.path, r.contentType])).toEqual([['/m', 'application/json']]);
    expect(metricReadersFromEnv({ OTEL_METRICS_EXPORTER: 'none' }, noWarnings)).toEqual([]);
  });

  it('console exporters print without batching', () => {
    const [spans] = spanProcessorsFromEnv({ OTEL_TRACES_EXPORTER: 'console' }, noWarnings);
    expect(spans).toBeInstanceOf(SimpleSpanProcessor);
    const [reader] = metricReadersFromEnv({ OTEL_METRICS_EXPORTER: 'console' }, noWarnings);
    expect(reader).toBeInstanceOf(PeriodicExportingMetricReader);
    expect((reader as unknown as { _exporter: unknown })._exporter).toBeInstanceOf(ConsoleMetricExporter);
    void reader?.shutdown();
  });
});
