import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestMetrics, createTestTracing, installGlobalContext } from '@costspan/testing';
import * as shapes from '@costspan/testing/span-shapes';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { CostSpanProcessor } from './cost-span-processor.js';
import { withCostAttribution } from './with-cost-attribution.js';

describe('withCostAttribution and baggage attribution', () => {
  it('attributes every span started inside the callback, inference spans and their metrics included', async () => {
    const metrics = createTestMetrics();
    const t = createTestTracing({ spanProcessors: [new CostSpanProcessor({ meterProvider: metrics.meterProvider })] });
    try {
      withCostAttribution({ feature: 'summarize', tenant: 'acme' }, () => {
        t.tracer.startActiveSpan('POST /summarize', (root) => {
          t.tracer
            .startSpan('chat gpt-4o', { attributes: { ...shapes.openaiChat, 'gen_ai.response.id': 'chatcmpl-in' } })
            .end();
          root.end();
        });
      });
      t.tracer
        .startSpan('chat outside', { attributes: { ...shapes.openaiChat, 'gen_ai.response.id': 'chatcmpl-out' } })
        .end();
      expect(t.span('POST /summarize').attributes).toMatchObject({
        'costspan.feature': 'summarize',
        'costspan.tenant': 'acme',
      });
      expect(t.span('chat gpt-4o').attributes).toMatchObject({
        'costspan.feature': 'summarize',
        'costspan.tenant': 'acme',
      });
      expect(t.span('chat outside').attributes['costspan.tenant']).toBeUndefined();
      const tenants = (await metrics.points('gen_ai.client.operation.cost')).map(
        (p) => p.attributes['costspan.tenant'],
      );
      expect(tenants.sort()).toEqual(['acme', undefined].sort());
    } finally {
      await t.shutdown();
      await metrics.shutdown();
    }
  });

  it('an explicit span attribute wins over baggage', () => {
    const t = createTestTracing({ spanProcessors: [new CostSpanProcessor()] });
    withCostAttribution({ tenant: 'from-baggage' }, () => {
      t.tracer.startSpan('chat', { attributes: { ...shapes.openaiChat, 'costspan.tenant': 'explicit' } }).end();
    });
    expect(t.span('chat').attributes['costspan.tenant']).toBe('explicit');
    return t.shutdown();
  });

  it('carries feature and tenant across a real HTTP hop between two services (W3C baggage)', async () => {
    installGlobalContext();
    // Service B: an inference service with its own tracer provider and CostSpanProcessor.
    const metricsB = createTestMetrics();
    const serviceB = createTestTracing({
      global: false,
      spanProcessors: [new CostSpanProcessor({ meterProvider: metricsB.meterProvider })],
    });
    // Service A: the caller, with a different tracer provider.
    const serviceA = createTestTracing({ global: false });
    const server = createServer((req, res) => {
      const parent = propagation.extract(context.active(), req.headers);
      const span = serviceB.tracer.startSpan(
        'chat gpt-4o',
        { kind: SpanKind.CLIENT, attributes: shapes.openaiChat },
        parent,
      );
      span.end();
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await withCostAttribution({ feature: 'support-chat', tenant: 'globex' }, async () => {
        const client = serviceA.tracer.startSpan('GET /answer', { kind: SpanKind.CLIENT });
        const headers: Record<string, string> = {};
        propagation.inject(trace.setSpan(context.active(), client), headers);
        await new Promise<void>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/answer', headers }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        });
        client.end();
      });
      const priced = serviceB.span('chat gpt-4o');
      expect(priced.attributes).toMatchObject({
        'costspan.feature': 'support-chat',
        'costspan.tenant': 'globex',
        'gen_ai.usage.cost.amount': 0.00725,
      });
      expect(priced.spanContext().traceId).toBe(serviceA.span('GET /answer').spanContext().traceId);
      const [point] = await metricsB.points('gen_ai.client.operation.cost');
      expect(point?.attributes).toMatchObject({ 'costspan.feature': 'support-chat', 'costspan.tenant': 'globex' });
    } finally {
      server.close();
      await serviceA.shutdown();
      await serviceB.shutdown();
      await metricsB.shutdown();
    }
  });
});
