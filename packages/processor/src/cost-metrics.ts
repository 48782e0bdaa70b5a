import { COST_HISTOGRAM_BOUNDARIES } from '@costspan/core';
import {
  METRIC_COSTSPAN_ALLOCATION_PROVISIONAL,
  METRIC_COSTSPAN_ALLOCATION_PROVISIONAL_UNIT,
  METRIC_COSTSPAN_GPU_NODE_COST,
  METRIC_COSTSPAN_GPU_NODE_COST_UNIT,
  METRIC_COSTSPAN_GPU_NODE_UTILIZATION,
  METRIC_COSTSPAN_GPU_NODE_UTILIZATION_UNIT,
  METRIC_COSTSPAN_PRICING_UNPRICED,
  METRIC_COSTSPAN_PRICING_UNPRICED_UNIT,
  METRIC_COSTSPAN_PROCESSOR_DEDUP_EVICTED,
  METRIC_COSTSPAN_PROCESSOR_DEDUP_EVICTED_UNIT,
  METRIC_COSTSPAN_PROCESSOR_ERRORS,
  METRIC_COSTSPAN_PROCESSOR_ERRORS_UNIT,
  METRIC_COSTSPAN_PROCESSOR_SUBTREE_EVICTED,
  METRIC_COSTSPAN_PROCESSOR_SUBTREE_EVICTED_UNIT,
  METRIC_GEN_AI_CLIENT_OPERATION_COST,
  METRIC_GEN_AI_CLIENT_OPERATION_COST_UNIT,
} from '@costspan/semconv';
import { type Counter, type Gauge, type Histogram, type MeterProvider, metrics } from '@opentelemetry/api';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

interface Instruments {
  cost: Histogram;
  unpriced: Counter;
  errors: Counter;
  evicted: Counter;
  dedupEvicted: Counter;
  gpuNodeCost: Counter;
  gpuNodeUtilization: Gauge;
  allocationProvisional: Counter;
}

/**
 * The processor's instruments. With no explicit MeterProvider they follow the global one, re-resolved when it
 * changes (NodeSDK registers its MeterProvider after the processor is constructed).
 */
export class CostMetrics {
  readonly #explicit: MeterProvider | undefined;
  #for: MeterProvider | undefined;
  #instruments: Instruments | undefined;

  constructor(meterProvider?: MeterProvider) {
    this.#explicit = meterProvider;
  }

  get(): Instruments {
    const provider = this.#explicit ?? metrics.getMeterProvider();
    if (this.#instruments !== undefined && provider === this.#for) return this.#instruments;
    const meter = provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    this.#for = provider;
    this.#instruments = {
      cost: meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_COST, {
        unit: METRIC_GEN_AI_CLIENT_OPERATION_COST_UNIT,
        description: 'Cost of each priced GenAI operation.',
        advice: { explicitBucketBoundaries: [...COST_HISTOGRAM_BOUNDARIES] },
      }),
      unpriced: meter.createCounter(METRIC_COSTSPAN_PRICING_UNPRICED, {
        unit: METRIC_COSTSPAN_PRICING_UNPRICED_UNIT,
        description: 'Inference operations that could not be priced.',
      }),
      errors: meter.createCounter(METRIC_COSTSPAN_PROCESSOR_ERRORS, {
        unit: METRIC_COSTSPAN_PROCESSOR_ERRORS_UNIT,
        description: 'Internal failures caught inside costspan while processing a span; the span itself is never lost.',
      }),
      evicted: meter.createCounter(METRIC_COSTSPAN_PROCESSOR_SUBTREE_EVICTED, {
        unit: METRIC_COSTSPAN_PROCESSOR_SUBTREE_EVICTED_UNIT,
        description:
          'Pending subtree-cost entries dropped because their ancestor never ended in time or the cap was reached.',
      }),
      dedupEvicted: meter.createCounter(METRIC_COSTSPAN_PROCESSOR_DEDUP_EVICTED, {
        unit: METRIC_COSTSPAN_PROCESSOR_DEDUP_EVICTED_UNIT,
        description: 'Entries dropped from the bounded windows that keep one price per model call.',
      }),
      gpuNodeCost: meter.createCounter(METRIC_COSTSPAN_GPU_NODE_COST, {
        unit: METRIC_COSTSPAN_GPU_NODE_COST_UNIT,
        description: 'GPU node cost accrued per closed allocation window, split by busy and idle time.',
      }),
      gpuNodeUtilization: meter.createGauge(METRIC_COSTSPAN_GPU_NODE_UTILIZATION, {
        unit: METRIC_COSTSPAN_GPU_NODE_UTILIZATION_UNIT,
        description: 'Busy fraction of a GPU node in its last closed allocation window.',
      }),
      allocationProvisional: meter.createCounter(METRIC_COSTSPAN_ALLOCATION_PROVISIONAL, {
        unit: METRIC_COSTSPAN_ALLOCATION_PROVISIONAL_UNIT,
        description:
          'Spans released with a provisional allocation in windowed mode because the cap on held spans was reached.',
      }),
    };
    return this.#instruments;
  }
}
