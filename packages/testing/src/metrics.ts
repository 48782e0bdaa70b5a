import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

export interface CollectedPoint {
  metric: string;
  unit: string;
  attributes: Record<string, unknown>;
  /** Sum or gauge value, or a histogram's `{ count, sum, min, max, buckets }`. */
  value: DataPoint<unknown>['value'];
}

export interface TestMetrics {
  meterProvider: MeterProvider;
  /** Collects now and returns every data point, flattened. */
  collect(): Promise<CollectedPoint[]>;
  /** Data points of one metric. */
  points(metric: string): Promise<CollectedPoint[]>;
  shutdown(): Promise<void>;
}

/** A MeterProvider whose data can be read synchronously-on-demand in tests (cumulative temporality). */
export function createTestMetrics(): TestMetrics {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60 * 60 * 1000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<CollectedPoint[]> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection failed');
    const out: CollectedPoint[] = [];
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const m of scope.metrics) {
        for (const dp of m.dataPoints as DataPoint<unknown>[]) {
          out.push({
            metric: m.descriptor.name,
            unit: m.descriptor.unit,
            attributes: { ...dp.attributes },
            value: dp.value,
          });
        }
      }
    }
    return out;
  };
  return {
    meterProvider,
    collect,
    points: async (metric) => (await collect()).filter((p) => p.metric === metric),
    shutdown: () => meterProvider.shutdown(),
  };
}
