import { microsToAmount, type NodeWindowRecord, type WindowClose } from '@costspan/allocation';
import {
  ATTR_COSTSPAN_ALLOCATION_DIRECT_COST,
  ATTR_COSTSPAN_ALLOCATION_IDLE,
  ATTR_COSTSPAN_ALLOCATION_IDLE_COST,
  ATTR_COSTSPAN_ALLOCATION_IDLE_SHARED_COST,
  ATTR_COSTSPAN_ALLOCATION_METHOD,
  ATTR_COSTSPAN_ALLOCATION_NODE_COST,
  ATTR_COSTSPAN_ALLOCATION_OVERHEAD_COST,
  ATTR_COSTSPAN_ALLOCATION_RECORD,
  ATTR_COSTSPAN_ALLOCATION_REQUESTS,
  ATTR_COSTSPAN_ALLOCATION_WINDOW_END,
  ATTR_COSTSPAN_ALLOCATION_WINDOW_START,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_STATE,
  ATTR_COSTSPAN_GPU_UTILIZATION,
  ATTR_COSTSPAN_GPU_UTILIZATION_SOURCE,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  COSTSPAN_ALLOCATION_RECORD_VALUE_WINDOW,
  COSTSPAN_GPU_STATE_VALUE_BUSY,
  COSTSPAN_GPU_STATE_VALUE_IDLE,
  COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_SPANS,
} from '@costspan/semconv';
import * as otelApi from '@opentelemetry/api';
import { type Logger, type LoggerProvider, logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { CostMetrics } from '../cost-metrics.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';

interface NodeMetricAttributes {
  busy: Record<string, string>;
  idle: Record<string, string>;
  utilization: Record<string, string>;
}

/**
 * Exports the exact result of every closed allocation window, per node:
 *
 * - one OpenTelemetry **log record** with event name `costspan.allocation.window` (the `costspan.allocation.*`
 *   window attributes: node cost, direct, idle, shared idle, overhead, requests, utilization, method, idle
 *   policy), timestamped at the window's end, through the given or the global LoggerProvider;
 * - `costspan.gpu.node.cost` (counter) by node and state: busy = direct, idle = the rest, so busy + idle over
 *   any period is the nodes' bill;
 * - `costspan.gpu.node.utilization` (gauge, source `spans`): the window's busy fraction.
 *
 * A node's windows before its start time (no cost, no requests) are not reported.
 */
export class WindowRecords {
  readonly #explicitLogs: LoggerProvider | undefined;
  readonly #metrics: CostMetrics;
  readonly #originMs: ReadonlyMap<string, number>;
  readonly #nodeAttributes = new Map<string, NodeMetricAttributes>();
  /** Busy fraction of each node's last reported window. */
  readonly lastUtilization = new Map<string, number>();
  #loggerFor: LoggerProvider | undefined;
  #logger: Logger | undefined;

  constructor(metrics: CostMetrics, originMs: ReadonlyMap<string, number>, loggerProvider?: LoggerProvider) {
    this.#metrics = metrics;
    this.#originMs = originMs;
    this.#explicitLogs = loggerProvider;
  }

  /** Reports closed windows in order. */
  emit(closes: readonly WindowClose[]): void {
    if (closes.length === 0) return;
    const logger = this.#resolveLogger();
    const instruments = this.#metrics.get();
    for (const close of closes) {
      for (const record of close.nodes) {
        if (
          record.requests === 0 &&
          record.nodeCost === 0 &&
          record.windowEnd <= (this.#originMs.get(record.nodeId) ?? 0)
        ) {
          continue;
        }
        this.lastUtilization.set(record.nodeId, record.utilization);
        logger.emit({
          eventName: COSTSPAN_ALLOCATION_RECORD_VALUE_WINDOW,
          timestamp: record.windowEnd,
          severityNumber: SeverityNumber.INFO,
          severityText: 'INFO',
          attributes: windowAttributes(record),
        });
        const attrs = this.#attributesFor(record);
        instruments.gpuNodeCost.add(microsToAmount(record.direct), attrs.busy);
        instruments.gpuNodeCost.add(microsToAmount(record.idle), attrs.idle);
        instruments.gpuNodeUtilization.record(record.utilization, attrs.utilization);
      }
    }
  }

  #resolveLogger(): Logger {
    const provider = this.#explicitLogs ?? globalLoggerProvider();
    if (this.#logger === undefined || provider !== this.#loggerFor) {
      this.#logger = provider.getLogger(PACKAGE_NAME, PACKAGE_VERSION);
      this.#loggerFor = provider;
    }
    return this.#logger;
  }

  #attributesFor(record: NodeWindowRecord): NodeMetricAttributes {
    let attrs = this.#nodeAttributes.get(record.nodeId);
    if (attrs === undefined) {
      const node = record.nodeId;
      const currency = record.currency;
      attrs = {
        busy: {
          [ATTR_COSTSPAN_GPU_NODE]: node,
          [ATTR_COSTSPAN_GPU_STATE]: COSTSPAN_GPU_STATE_VALUE_BUSY,
          [ATTR_GEN_AI_USAGE_COST_CURRENCY]: currency,
        },
        idle: {
          [ATTR_COSTSPAN_GPU_NODE]: node,
          [ATTR_COSTSPAN_GPU_STATE]: COSTSPAN_GPU_STATE_VALUE_IDLE,
          [ATTR_GEN_AI_USAGE_COST_CURRENCY]: currency,
        },
        utilization: {
          [ATTR_COSTSPAN_GPU_NODE]: node,
          [ATTR_COSTSPAN_GPU_UTILIZATION_SOURCE]: COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_SPANS,
        },
      };
      this.#nodeAttributes.set(node, attrs);
    }
    return attrs;
  }
}

/** `@opentelemetry/api` ≥ 1.10 carries the logs API itself (`logs`); earlier lines use `@opentelemetry/api-logs`. */
const apiLogs = (otelApi as unknown as { logs?: { getLoggerProvider(): LoggerProvider } }).logs;

/**
 * The global LoggerProvider: from `@opentelemetry/api`'s own logs API where it has one (the SDK line of
 * api 1.10+ registers it there), else from `@opentelemetry/api-logs` (the 2.x / 0.2xx line).
 */
export function globalLoggerProvider(): LoggerProvider {
  return apiLogs !== undefined ? apiLogs.getLoggerProvider() : logs.getLoggerProvider();
}

/** The attributes of one window record (amounts as floats of the node's currency, exact micro-unit multiples). */
export function windowAttributes(record: NodeWindowRecord): Record<string, string | number> {
  return {
    [ATTR_COSTSPAN_ALLOCATION_RECORD]: COSTSPAN_ALLOCATION_RECORD_VALUE_WINDOW,
    [ATTR_COSTSPAN_GPU_NODE]: record.nodeId,
    [ATTR_COSTSPAN_ALLOCATION_WINDOW_START]: record.windowStart,
    [ATTR_COSTSPAN_ALLOCATION_WINDOW_END]: record.windowEnd,
    [ATTR_GEN_AI_USAGE_COST_CURRENCY]: record.currency,
    [ATTR_COSTSPAN_ALLOCATION_NODE_COST]: microsToAmount(record.nodeCost),
    [ATTR_COSTSPAN_ALLOCATION_DIRECT_COST]: microsToAmount(record.direct),
    [ATTR_COSTSPAN_ALLOCATION_IDLE_COST]: microsToAmount(record.idle),
    [ATTR_COSTSPAN_ALLOCATION_IDLE_SHARED_COST]: microsToAmount(record.idleShared),
    [ATTR_COSTSPAN_ALLOCATION_OVERHEAD_COST]: microsToAmount(record.overhead),
    [ATTR_COSTSPAN_ALLOCATION_REQUESTS]: record.requests,
    [ATTR_COSTSPAN_GPU_UTILIZATION]: record.utilization,
    [ATTR_COSTSPAN_GPU_UTILIZATION_SOURCE]: COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_SPANS,
    [ATTR_COSTSPAN_ALLOCATION_METHOD]: record.method,
    [ATTR_COSTSPAN_ALLOCATION_IDLE]: record.idlePolicy,
  };
}
