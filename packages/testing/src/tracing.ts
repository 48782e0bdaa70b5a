import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export interface TestTracing {
  provider: TracerProvider;
  tracer: Tracer;
  exporter: InMemorySpanExporter;
  /** Finished spans as exported (after every processor's onEnding ran). */
  spans(): ReadableSpan[];
  /** Finished span by name; throws when absent so tests fail with a clear message. */
  span(name: string): ReadableSpan;
  shutdown(): Promise<void>;
}

export interface TestTracingOptions {
  /** Processors placed before the exporting SimpleSpanProcessor. */
  spanProcessors?: SpanProcessor[];
  /** Replace the exporting processor (e.g. when a processor under test wraps it as `next`). */
  exportProcessor?: (exporter: InMemorySpanExporter) => SpanProcessor;
  resource?: Record<string, string | number | boolean>;
  /** Install the provider, an AsyncLocalStorage context manager and W3C propagators globally (default true). */
  global?: boolean;
}

let contextManagerInstalled = false;

/** Installs an AsyncLocalStorage context manager and the W3C trace-context + baggage propagators, once. */
export function installGlobalContext(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  contextManagerInstalled = true;
}

/**
 * A tracer provider with an in-memory exporter, built with `@opentelemetry/sdk-trace`'s options-object API,
 * which is the same on the 2.x line (Node 20) and the 3.x line (Node 24).
 */
export function createTestTracing(options: TestTracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const exportProcessor = options.exportProcessor?.(exporter) ?? new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({
    resource: options.resource ? resourceFromAttributes(options.resource) : undefined,
    spanProcessors: [...(options.spanProcessors ?? []), exportProcessor],
  });
  if (options.global !== false) {
    installGlobalContext();
    trace.disable();
    trace.setGlobalTracerProvider(provider);
  }
  const tracer = provider.getTracer('costspan-test');
  return {
    provider,
    tracer,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    span(name: string) {
      const found = exporter.getFinishedSpans().find((s) => s.name === name);
      if (!found) {
        const names = exporter.getFinishedSpans().map((s) => s.name);
        throw new Error(`no finished span named '${name}' (have: ${names.join(', ') || 'none'})`);
      }
      return found;
    },
    async shutdown() {
      await provider.shutdown();
      if (options.global !== false) trace.disable();
    },
  };
}
