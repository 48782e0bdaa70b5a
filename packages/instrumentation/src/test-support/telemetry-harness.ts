import { createTestMetrics, createTestTracing, type TestMetrics, type TestTracing } from '@costspan/testing';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export interface Harness {
  tracing: TestTracing;
  metrics: TestMetrics;
  /** Finished spans recorded by the instrumentation under test. */
  genAiSpans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

/** One tracer + meter provider pair for a test file, wired to the given instrumentations. */
export function createHarness(instrumentations: InstrumentationBase[]): Harness {
  const tracing = createTestTracing();
  let metrics = createTestMetrics();
  for (const i of instrumentations) {
    i.setTracerProvider(tracing.provider);
    i.setMeterProvider(metrics.meterProvider);
  }
  const names = new Set(instrumentations.map((i) => i.instrumentationName));
  return {
    tracing,
    get metrics() {
      return metrics;
    },
    genAiSpans: () => tracing.spans().filter((s) => names.has(s.instrumentationScope.name)),
    reset() {
      tracing.exporter.reset();
      void metrics.shutdown();
      metrics = createTestMetrics();
      for (const i of instrumentations) i.setMeterProvider(metrics.meterProvider);
    },
    async shutdown() {
      for (const i of instrumentations) i.disable();
      await tracing.shutdown();
      await metrics.shutdown();
    },
  };
}

/** Waits until `check` passes (spans end on a later tick after a stream's last read). */
export async function eventually(check: () => void, attempts = 100): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
