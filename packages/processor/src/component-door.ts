import { microsToAmount } from '@costspan/allocation';
import {
  type AttributionKeys,
  ComponentPricer,
  type ComponentResult,
  type CostRuleConfig,
  type ResourceWindow,
  type SharedResourceConfig,
  type SpanRecord,
} from '@costspan/core';
import {
  ATTR_COSTSPAN_COST_COMPONENT,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_STATE,
  ATTR_COSTSPAN_GPU_UTILIZATION_SOURCE,
  ATTR_COSTSPAN_RESOURCE,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  COSTSPAN_ALLOCATION_RECORD_VALUE_WINDOW,
  COSTSPAN_GPU_STATE_VALUE_BUSY,
  COSTSPAN_GPU_STATE_VALUE_IDLE,
  METRIC_COSTSPAN_RESOURCE_COST,
  METRIC_COSTSPAN_RESOURCE_COST_UNIT,
  METRIC_COSTSPAN_RESOURCE_UTILIZATION,
  METRIC_COSTSPAN_RESOURCE_UTILIZATION_UNIT,
} from '@costspan/semconv';
import { type MeterProvider, metrics } from '@opentelemetry/api';
import { type LoggerProvider, SeverityNumber } from '@opentelemetry/api-logs';
import { globalLoggerProvider, windowAttributes } from './gpu/window-records.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** Span ends this far behind the latest one seen still land in their own window (ms), as for GPU nodes. */
const GRACE_MS = 2_000;
/** Windows closed per span end at most, so a catch-up never blocks `end()`. */
const MAX_CLOSES_PER_END = 16;

export interface ComponentDoorOptions {
  costs?: readonly CostRuleConfig[];
  resources?: readonly SharedResourceConfig[];
  attribution?: AttributionKeys;
  meterProvider?: MeterProvider;
  loggerProvider?: LoggerProvider;
  fail(where: string, error: unknown): void;
}

/**
 * Non-model spans inside the SDK door: `costs:` rules and `resources:` shares from the core's `ComponentPricer`,
 * and each resource's closed windows reported as GPU nodes' are (a `costspan.allocation.window` log record with
 * `costspan.resource`, `costspan.resource.cost` by busy/idle state and `costspan.resource.utilization`).
 * Resource shares are written at the span's end (exact for the time share with separate idle and no overhead,
 * else provisional: `costspan.allocation.final = false`); windows close on later span ends and on flush.
 */
export class ComponentDoor {
  readonly pricer: ComponentPricer;
  readonly #options: ComponentDoorOptions;

  constructor(options: ComponentDoorOptions) {
    this.#options = options;
    this.pricer = new ComponentPricer({
      costs: options.costs,
      resources: options.resources,
      attribution: options.attribution,
      startTimeMs: Date.now(),
    });
  }

  /** Prices a non-model span (the processor checked `mayMatch` and `ComponentPricer.appliesTo`). */
  price(record: SpanRecord): ComponentResult | undefined {
    const result = this.pricer.price(record);
    if (result?.share !== undefined) this.#advance();
    return result;
  }

  flush(): void {
    if (this.pricer.resources.size === 0) return;
    try {
      this.#emit(this.pricer.resources.closeAll());
    } catch (error) {
      this.#options.fail('resources.flush', error);
    }
  }

  #advance(): void {
    const resources = this.pricer.resources;
    const latest = resources.latestTimestamp;
    if (latest === undefined) return;
    try {
      this.#emit(resources.closeWindows(latest - GRACE_MS, MAX_CLOSES_PER_END));
    } catch (error) {
      this.#options.fail('resources.windows', error);
    }
  }

  #emit(windows: readonly ResourceWindow[]): void {
    if (windows.length === 0) return;
    const meterProvider = this.#options.meterProvider ?? metrics.getMeterProvider();
    const meter = meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    const cost = meter.createCounter(METRIC_COSTSPAN_RESOURCE_COST, {
      unit: METRIC_COSTSPAN_RESOURCE_COST_UNIT,
      description: 'Shared resource cost accrued per closed allocation window, split by busy and idle time.',
    });
    const utilization = meter.createGauge(METRIC_COSTSPAN_RESOURCE_UTILIZATION, {
      unit: METRIC_COSTSPAN_RESOURCE_UTILIZATION_UNIT,
      description: 'Busy fraction of a shared resource in its last closed allocation window.',
    });
    const logger = (this.#options.loggerProvider ?? globalLoggerProvider()).getLogger(PACKAGE_NAME, PACKAGE_VERSION);
    for (const window of windows) {
      const record = window.record;
      logger.emit({
        eventName: COSTSPAN_ALLOCATION_RECORD_VALUE_WINDOW,
        timestamp: record.windowEnd,
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        attributes: resourceWindowAttributes(window),
      });
      const base = { [ATTR_COSTSPAN_RESOURCE]: window.resource, [ATTR_GEN_AI_USAGE_COST_CURRENCY]: record.currency };
      cost.add(microsToAmount(record.direct), { ...base, [ATTR_COSTSPAN_GPU_STATE]: COSTSPAN_GPU_STATE_VALUE_BUSY });
      cost.add(microsToAmount(record.idle), { ...base, [ATTR_COSTSPAN_GPU_STATE]: COSTSPAN_GPU_STATE_VALUE_IDLE });
      utilization.record(record.utilization, { [ATTR_COSTSPAN_RESOURCE]: window.resource });
    }
  }
}

/**
 * The attributes of a resource's window record: a GPU node window's (`windowAttributes`, the one list), keyed by
 * `costspan.resource` and its component instead of the node.
 */
export function resourceWindowAttributes(window: ResourceWindow): Record<string, string | number> {
  const attributes = windowAttributes(window.record);
  delete attributes[ATTR_COSTSPAN_GPU_NODE];
  delete attributes[ATTR_COSTSPAN_GPU_UTILIZATION_SOURCE];
  return {
    [ATTR_COSTSPAN_RESOURCE]: window.resource,
    [ATTR_COSTSPAN_COST_COMPONENT]: window.component,
    ...attributes,
  };
}
