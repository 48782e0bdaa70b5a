import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface SpanSpec {
  name: string;
  attributes: Attributes;
  /** ms since the epoch */
  start: number;
  end: number;
  children?: SpanSpec[];
}

/**
 * Produces spans with a real TracerProvider and the real OTLP exporter packages, sent to `url`
 * (protobuf with exporter-trace-otlp-proto, JSON with exporter-trace-otlp-http). `wrap` puts a processor in
 * front of the exporting one (e.g. an in-process CostSpanProcessor with the batch processor as its `next`).
 */
export async function sendWithSdk(
  url: string,
  protocol: 'protobuf' | 'json',
  resource: Attributes,
  specs: SpanSpec[],
  headers: Record<string, string> = {},
  wrap?: (exporting: BatchSpanProcessor) => SpanProcessor,
): Promise<void> {
  const options = { url: `${url}/v1/traces`, headers };
  const exporter = protocol === 'protobuf' ? new ProtoExporter(options) : new JsonExporter(options);
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [
      (wrap ?? ((p) => p))(new BatchSpanProcessor({ exporter, maxExportBatchSize: 512, scheduledDelayMillis: 50 })),
    ],
  });
  const tracer = provider.getTracer('collector-test');
  const { context, trace } = await import('@opentelemetry/api');
  const emit = (spec: SpanSpec, parent?: ReturnType<typeof tracer.startSpan>) => {
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(spec.name, { attributes: spec.attributes, startTime: spec.start }, ctx);
    for (const child of spec.children ?? []) emit(child, span);
    span.end(spec.end);
  };
  for (const spec of specs) emit(spec);
  await provider.forceFlush();
  await provider.shutdown();
}
