/**
 * Span processors and metric readers from OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER and the OTLP variables:
 * OTLP over HTTP (protobuf or JSON) or the console.
 */
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  ConsoleMetricExporter,
  type IMetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import {
  batchSpanProcessorOptions,
  type Env,
  exporterNames,
  metricExportTiming,
  type OtlpTarget,
  otlpTarget,
  type Warn,
} from './otel-env.js';

type TraceExporterConfig = NonNullable<ConstructorParameters<typeof ProtoTraceExporter>[0]>;
type MetricExporterConfig = NonNullable<ConstructorParameters<typeof ProtoMetricExporter>[0]>;

function exporterConfig(target: OtlpTarget) {
  return {
    url: target.url,
    headers: target.headers,
    timeoutMillis: target.timeoutMillis,
    compression: target.compression,
  };
}

/** The OTLP/HTTP span exporter for a target (protobuf or JSON). */
export function otlpSpanExporter(target: OtlpTarget): SpanExporter {
  const config = exporterConfig(target) as TraceExporterConfig;
  return target.protocol === 'http/json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
}

/** The OTLP/HTTP metric exporter for a target (protobuf or JSON). */
export function otlpMetricExporter(target: OtlpTarget): PushMetricExporter {
  const config = exporterConfig(target) as MetricExporterConfig;
  return target.protocol === 'http/json' ? new JsonMetricExporter(config) : new ProtoMetricExporter(config);
}

/** A BatchSpanProcessor in front of an exporter, with the OTEL_BSP_* settings. */
export function batchProcessor(exporter: SpanExporter, env: Env, warn: Warn): SpanProcessor {
  return new BatchSpanProcessor({ exporter, ...batchSpanProcessorOptions(env, warn) });
}

/** One span processor per OTEL_TRACES_EXPORTER entry: batched OTLP, or the console without batching. */
export function spanProcessorsFromEnv(env: Env, warn: Warn): SpanProcessor[] {
  return exporterNames(env, 'OTEL_TRACES_EXPORTER', warn).map((name) =>
    name === 'console'
      ? new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })
      : batchProcessor(otlpSpanExporter(otlpTarget(env, 'traces', warn)), env, warn),
  );
}

/** One periodic reader per OTEL_METRICS_EXPORTER entry, every OTEL_METRIC_EXPORT_INTERVAL ms. */
export function metricReadersFromEnv(env: Env, warn: Warn): IMetricReader[] {
  const names = exporterNames(env, 'OTEL_METRICS_EXPORTER', warn);
  if (names.length === 0) return [];
  const { intervalMillis, timeoutMillis } = metricExportTiming(env, warn);
  return names.map(
    (name) =>
      new PeriodicExportingMetricReader({
        exporter:
          name === 'console' ? new ConsoleMetricExporter() : otlpMetricExporter(otlpTarget(env, 'metrics', warn)),
        exportIntervalMillis: intervalMillis,
        exportTimeoutMillis: timeoutMillis,
      }),
  );
}
