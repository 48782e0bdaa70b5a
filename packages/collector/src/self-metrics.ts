import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ATTR_COSTSPAN_COLLECTOR_EXPORTER,
  METRIC_COSTSPAN_COLLECTOR_DEDUP_EVICTED,
  METRIC_COSTSPAN_COLLECTOR_DEDUP_EVICTED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_QUEUE_DEPTH,
  METRIC_COSTSPAN_COLLECTOR_QUEUE_DEPTH_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_DROPPED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_DROPPED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_EXPORTED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_EXPORTED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_PRICED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_PRICED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_RECEIVED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_RECEIVED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_REFUSED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_REFUSED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_REJECTED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_REJECTED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_RETRIED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_RETRIED_UNIT,
  METRIC_COSTSPAN_COLLECTOR_SPANS_UNPRICED,
  METRIC_COSTSPAN_COLLECTOR_SPANS_UNPRICED_UNIT,
} from '@costspan/semconv';
import type { Counter, Meter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type IMetricReader, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { CollectorStats, TelemetryConfig } from './types.js';

const SERVICE = 'costspan-collector';

/**
 * The collector's own counters: plain numbers for `stats()`, mirrored into OTel instruments that are served on
 * `/metrics` (Prometheus text, through @opentelemetry/exporter-prometheus) and optionally pushed over OTLP.
 */
export class SelfMetrics {
  readonly counts: Omit<CollectorStats, 'queueDepth' | 'queueBytes' | 'delivered' | 'persisted'> = {
    received: 0,
    rejected: 0,
    priced: 0,
    unpriced: 0,
    exported: 0,
    retried: 0,
    refused: 0,
    dropped: 0,
    stored: 0,
    dedupEvicted: 0,
  };
  /** The collector's meter (other instruments of the collector register here, e.g. the budget gauges). */
  readonly meter: Meter;
  private readonly provider: MeterProvider;
  private readonly prometheus: PrometheusExporter | undefined;
  private readonly received: Counter;
  private readonly rejected: Counter;
  private readonly priced: Counter;
  private readonly unpriced: Counter;
  private readonly exported: Counter;
  private readonly retried: Counter;
  private readonly refused: Counter;
  private readonly dropped: Counter;
  private readonly dedupEvicted: Counter;

  constructor(config: TelemetryConfig, queueDepths: () => Array<{ exporter: string; depth: number }>) {
    const readers: IMetricReader[] = [];
    if (config.prometheus) {
      this.prometheus = new PrometheusExporter({ preventServerStart: true });
      readers.push(this.prometheus);
    }
    if (config.otlpMetricsUrl) {
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: config.otlpMetricsUrl, headers: config.otlpHeaders ?? {} }),
          exportIntervalMillis: config.otlpIntervalMs ?? 60_000,
        }),
      );
    }
    this.provider = new MeterProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: SERVICE }), readers });
    const meter = this.provider.getMeter(SERVICE);
    this.meter = meter;
    const counter = (name: string, unit: string) => meter.createCounter(name, { unit });
    this.received = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_RECEIVED, METRIC_COSTSPAN_COLLECTOR_SPANS_RECEIVED_UNIT);
    this.rejected = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_REJECTED, METRIC_COSTSPAN_COLLECTOR_SPANS_REJECTED_UNIT);
    this.priced = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_PRICED, METRIC_COSTSPAN_COLLECTOR_SPANS_PRICED_UNIT);
    this.unpriced = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_UNPRICED, METRIC_COSTSPAN_COLLECTOR_SPANS_UNPRICED_UNIT);
    this.exported = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_EXPORTED, METRIC_COSTSPAN_COLLECTOR_SPANS_EXPORTED_UNIT);
    this.retried = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_RETRIED, METRIC_COSTSPAN_COLLECTOR_SPANS_RETRIED_UNIT);
    this.refused = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_REFUSED, METRIC_COSTSPAN_COLLECTOR_SPANS_REFUSED_UNIT);
    this.dropped = counter(METRIC_COSTSPAN_COLLECTOR_SPANS_DROPPED, METRIC_COSTSPAN_COLLECTOR_SPANS_DROPPED_UNIT);
    this.dedupEvicted = counter(METRIC_COSTSPAN_COLLECTOR_DEDUP_EVICTED, METRIC_COSTSPAN_COLLECTOR_DEDUP_EVICTED_UNIT);
    meter
      .createObservableGauge(METRIC_COSTSPAN_COLLECTOR_QUEUE_DEPTH, {
        unit: METRIC_COSTSPAN_COLLECTOR_QUEUE_DEPTH_UNIT,
      })
      .addCallback((result) => {
        for (const { exporter, depth } of queueDepths())
          result.observe(depth, { [ATTR_COSTSPAN_COLLECTOR_EXPORTER]: exporter });
      });
  }

  addReceived(n: number) {
    this.counts.received += n;
    this.received.add(n);
  }
  addRejected(n: number) {
    this.counts.rejected += n;
    this.rejected.add(n);
  }
  addPriced(n: number) {
    this.counts.priced += n;
    this.priced.add(n);
  }
  addUnpriced(n: number) {
    this.counts.unpriced += n;
    this.unpriced.add(n);
  }
  addDedupEvicted(n: number) {
    if (n <= 0) return;
    this.counts.dedupEvicted += n;
    this.dedupEvicted.add(n);
  }
  addRefused(n: number) {
    this.counts.refused += n;
    this.refused.add(n);
  }
  addExported(n: number, exporter: string) {
    this.counts.exported += n;
    this.exported.add(n, { [ATTR_COSTSPAN_COLLECTOR_EXPORTER]: exporter });
  }
  addRetried(n: number, exporter: string) {
    this.counts.retried += n;
    this.retried.add(n, { [ATTR_COSTSPAN_COLLECTOR_EXPORTER]: exporter });
  }
  addDropped(n: number, exporter: string) {
    this.counts.dropped += n;
    this.dropped.add(n, { [ATTR_COSTSPAN_COLLECTOR_EXPORTER]: exporter });
  }

  /** Serves the Prometheus text exposition; false when Prometheus is disabled. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.prometheus) return false;
    this.prometheus.getMetricsRequestHandler(request, response);
    return true;
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown().catch(() => undefined);
  }
}
