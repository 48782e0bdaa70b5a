import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { collectorConfigFromObject, costStages, startCollector } from '@costspan/collector';
import { CostSpanProcessor } from '@costspan/processor';
import {
  ATTR_COSTSPAN_COST_CACHE_READ,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_OUTPUT,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
} from '@costspan/semconv';
import { createTestTracing } from '@costspan/testing';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './run-process.ts';

const COST_KEYS = [
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_OUTPUT,
  ATTR_COSTSPAN_COST_CACHE_READ,
];

/** The 8 bytes of a double: equal bytes = the same number, exactly. */
const bytes = (n: number) => Buffer.from(new Float64Array([n]).buffer).toString('hex');

let spans: ReadableSpan[];
beforeAll(async () => {
  const tracing = createTestTracing({ spanProcessors: [new CostSpanProcessor()], global: false });
  // Usage chosen so the amounts are doubles without a short decimal form (e.g. 0.000123456789 × ...).
  const usages = [
    { model: 'gpt-4o-mini', input: 1237, cached: 512, output: 331 },
    { model: 'gpt-4o', input: 98765, cached: 4096, output: 4321 },
    { model: 'o4-mini', input: 7, cached: 0, output: 1 },
  ];
  for (const u of usages) {
    tracing.tracer
      .startSpan(`chat ${u.model}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
          [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
          [ATTR_GEN_AI_REQUEST_MODEL]: u.model,
          [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: u.input,
          [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: u.cached,
          [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: u.output,
        },
      })
      .end();
  }
  spans = tracing.spans();
  await tracing.shutdown();
});

/** A test OTLP receiver that keeps each request body and its content type. */
async function receiver() {
  const bodies: Array<{ type: string; body: Buffer }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ type: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': String(req.headers['content-type']) }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/traces`, bodies, close: () => new Promise((r) => server.close(r)) };
}

function exportWith(exporter: SpanExporter, batch: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(batch, (result) =>
      result.code === 0 ? resolve() : reject(result.error ?? new Error('export failed')),
    ),
  );
}

type Attr = { key: string; value: { doubleValue?: number | string } };
function costValues(request: {
  resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: Attr[] }> }> }>;
}) {
  const out: Record<string, Record<string, number>> = {};
  for (const rs of request.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        out[span.name] = {};
        for (const a of span.attributes) {
          if ((COST_KEYS as readonly string[]).includes(a.key)) out[span.name]![a.key] = Number(a.value.doubleValue);
        }
      }
  return out;
}

function expectedValues() {
  const out: Record<string, Record<string, number>> = {};
  for (const span of spans) {
    out[span.name] = {};
    for (const key of COST_KEYS) {
      const v = span.attributes[key];
      if (typeof v === 'number') out[span.name]![key] = v;
    }
  }
  return out;
}

let protoType: protobuf.Type;
beforeAll(async () => {
  const root = new protobuf.Root();
  const dir = join(repoRoot, 'packages/collector/proto/opentelemetry-proto-v1.7.0');
  root.resolvePath = (_origin, target) => join(dir, target.split('/').pop()!);
  await root.load('trace_service.proto', { keepCase: false });
  protoType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
});

describe('OTLP round trip: cost attributes survive protobuf and JSON encodings exactly', () => {
  const sink: { close?: () => unknown } = {};
  afterAll(async () => {
    await sink.close?.();
  });

  it('http/protobuf and http/json carry every cost amount as the same double, byte for byte', async () => {
    const rx = await receiver();
    sink.close = rx.close;
    await exportWith(new ProtoExporter({ url: rx.url }), spans);
    await exportWith(new HttpJsonExporter({ url: rx.url }), spans);
    expect(rx.bodies.map((b) => b.type)).toEqual(['application/x-protobuf', 'application/json']);
    const expected = expectedValues();
    expect(Object.keys(expected['chat gpt-4o']!)).toEqual(expect.arrayContaining(COST_KEYS));

    const fromProto = costValues(protoType.toObject(protoType.decode(rx.bodies[0]!.body), { longs: String }) as never);
    const fromJson = costValues(JSON.parse(rx.bodies[1]!.body.toString('utf8')));
    for (const decoded of [fromProto, fromJson]) {
      expect(decoded).toEqual(expected);
      for (const [name, values] of Object.entries(expected)) {
        for (const [key, value] of Object.entries(values)) expect(bytes(decoded[name]![key]!)).toBe(bytes(value));
      }
    }
  });

  it('the collector decodes both encodings and forwards the in-process amounts unchanged', async () => {
    const rx = await receiver();
    const forwardConfig = collectorConfigFromObject({
      receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
      processors: { costspan: {} },
      exporters: { 'otlphttp/test': { traces_endpoint: rx.url, encoding: 'json' } },
      service: {
        pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['otlphttp/test'] } },
      },
    });
    const collector = await startCollector(forwardConfig, { stages: costStages(forwardConfig) });
    try {
      await exportWith(new ProtoExporter({ url: `${collector.url}/v1/traces` }), spans);
      await exportWith(new HttpJsonExporter({ url: `${collector.url}/v1/traces` }), spans);
      await collector.close();
      expect(rx.bodies).toHaveLength(2);
      const expected = expectedValues();
      for (const b of rx.bodies) {
        const decoded = costValues(JSON.parse(b.body.toString('utf8')));
        expect(decoded).toEqual(expected);
        for (const [name, values] of Object.entries(expected)) {
          for (const [key, value] of Object.entries(values)) expect(bytes(decoded[name]![key]!)).toBe(bytes(value));
        }
      }
    } finally {
      await rx.close();
    }
  });
});
