import type { DuckDBValue } from '@duckdb/node-api';

/** A row of `component_spans` (see sql/store-schema.sql). Money in integer nano-units of `currency`. */
export interface ComponentSpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** Nanoseconds since the epoch, decimal (exact). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  spanName: string | null;
  serviceName: string | null;
  feature: string | null;
  tenant: string | null;
  component: string;
  rule: string;
  ruleKind: 'rule' | 'resource';
  ruleVersion: string | null;
  units: number | null;
  currency: string;
  costNanos: number;
  costIdleNanos: number | null;
  costOverheadNanos: number | null;
  allocationFinal: boolean | null;
}

/** A row of `resource_windows`. Money in integer nano-units. */
export interface ResourceWindowRow {
  resource: string;
  component: string;
  /** ms since the epoch, inclusive / exclusive. */
  windowStart: number;
  windowEnd: number;
  currency: string;
  resourceCostNanos: number;
  directCostNanos: number;
  idleCostNanos: number;
  idleSharedCostNanos: number;
  overheadCostNanos: number;
  busySeconds: number;
  utilization: number;
  requests: number;
  /** time | requests | unit */
  method: string;
  idlePolicy: string;
}

/** A resource share's final figures, once every window it touched has closed. */
export interface FinalComponent {
  traceId: string;
  spanId: string;
  costNanos: number;
  idleNanos: number;
  overheadNanos: number;
}

export const COMPONENT_SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'start_time',
  'end_time',
  'start_time_unix_nano',
  'duration_ms',
  'span_name',
  'service_name',
  'feature',
  'tenant',
  'component',
  'rule',
  'rule_kind',
  'rule_version',
  'units',
  'currency',
  'cost_nanos',
  'cost_idle_nanos',
  'cost_overhead_nanos',
  'cost_usd',
  'allocation_final',
  'received_at',
];

export const RESOURCE_WINDOW_COLUMNS = [
  'resource',
  'component',
  'window_start',
  'window_end',
  'currency',
  'resource_cost_nanos',
  'direct_cost_nanos',
  'idle_cost_nanos',
  'idle_shared_cost_nanos',
  'overhead_cost_nanos',
  'resource_cost_usd',
  'busy_seconds',
  'utilization',
  'requests',
  'method',
  'idle_policy',
];

/** Replaces a provisional resource share by its final figures (idempotent). */
export const FINAL_COMPONENT_UPDATE = `
UPDATE component_spans SET
  cost_nanos = $1,
  cost_usd = $1 / 1e9,
  cost_idle_nanos = $2,
  cost_overhead_nanos = $3,
  allocation_final = true
WHERE trace_id = $4 AND span_id = $5 AND rule_kind = 'resource'`;

const bigOrNull = (n: number | null): bigint | null => (n === null || !Number.isSafeInteger(n) ? null : BigInt(n));

/** Values in `COMPONENT_SPAN_COLUMNS` order; timestamps as µs since the epoch (bigint). */
export function componentSpanValues(r: ComponentSpanRow, receivedAtMs: number): DuckDBValue[] {
  const start = BigInt(r.startTimeUnixNano);
  const end = BigInt(r.endTimeUnixNano);
  return [
    r.traceId,
    r.spanId,
    r.parentSpanId,
    start / 1000n,
    end / 1000n,
    start,
    end > start ? Number(end - start) / 1e6 : 0,
    r.spanName,
    r.serviceName,
    r.feature,
    r.tenant,
    r.component,
    r.rule,
    r.ruleKind,
    r.ruleVersion,
    r.units === null || !Number.isFinite(r.units) ? null : r.units,
    r.currency,
    BigInt(r.costNanos),
    bigOrNull(r.costIdleNanos),
    bigOrNull(r.costOverheadNanos),
    r.costNanos / 1e9,
    r.allocationFinal,
    BigInt(Math.round(receivedAtMs * 1000)),
  ];
}

export function resourceWindowValues(r: ResourceWindowRow): DuckDBValue[] {
  return [
    r.resource,
    r.component,
    BigInt(Math.round(r.windowStart * 1000)),
    BigInt(Math.round(r.windowEnd * 1000)),
    r.currency,
    BigInt(r.resourceCostNanos),
    BigInt(r.directCostNanos),
    BigInt(r.idleCostNanos),
    BigInt(r.idleSharedCostNanos),
    BigInt(r.overheadCostNanos),
    r.resourceCostNanos / 1e9,
    r.busySeconds,
    r.utilization,
    BigInt(r.requests),
    r.method,
    r.idlePolicy,
  ];
}
