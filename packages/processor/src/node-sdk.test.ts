import * as shapes from '@costspan/testing/span-shapes';
import { context, metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { CostSpanProcessor } from './cost-span-processor.js';
import { withCostAttribution } from './with-cost-attribution.js';

describe('CostSpanProcessor under a real NodeSDK (sdk-trace-base spans)', () => {
  it('prices spans, attributes them from baggage and records metrics on the global MeterProvider set after it', async () => {
    const exporter = new InMemorySpanExporter();
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
    // Constructed before NodeSDK registers its global MeterProvider: the processor must follow it.
    const processor = new CostSpanProcessor();
    const sdk = new NodeSDK({
      serviceName: 'checkout',
      autoDetectResources: false,
      instrumentations: [],
      spanProcessors: [processor, new SimpleSpanProcessor({ exporter })],
      metricReaders: [reader],
    });
    sdk.start();
    try {
      const tracer = trace.getTracer('app');
      withCostAttribution({ feature: 'checkout-assistant', tenant: 'acme' }, () => {
        tracer.startActiveSpan('POST /checkout', (root) => {
          const outer = tracer.startSpan('ai.generateText', { attributes: shapes.aiSdk4Outer });
          tracer
            .startSpan(
              'ai.generateText.doGenerate',
              { attributes: shapes.aiSdk4Inner },
              trace.setSpan(context.active(), outer),
            )
            .end();
          outer.end();
          tracer.startSpan('chat claude', { attributes: shapes.anthropicOtel }).end();
          root.end();
        });
      });
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]));
      expect(byName.get('ai.generateText.doGenerate')).toMatchObject({
        'gen_ai.usage.cost.amount': 0.0075,
        'costspan.feature': 'checkout-assistant',
        'costspan.tenant': 'acme',
      });
      expect(byName.get('ai.generateText')?.['gen_ai.usage.cost.amount']).toBeUndefined();
      expect(byName.get('chat claude')?.['gen_ai.usage.cost.amount']).toBe(0.01215);
      expect(byName.get('POST /checkout')?.['costspan.cost.subtree']).toBe(0.01965);

      const { resourceMetrics } = await reader.collect();
      const cost = resourceMetrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .find((m) => m.descriptor.name === 'gen_ai.client.operation.cost');
      expect(cost?.dataPoints.map((p) => (p.value as { count: number }).count).reduce((a, b) => a + b, 0)).toBe(2);
      expect(cost?.dataPoints[0]?.attributes).toMatchObject({ 'costspan.tenant': 'acme' });
    } finally {
      await sdk.shutdown();
      metrics.disable();
      trace.disable();
    }
  });
});
