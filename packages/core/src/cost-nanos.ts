import { microsToNanos } from '@costspan/allocation';
import { usdToNanos as amountToNanos } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_CACHE_READ,
  ATTR_COSTSPAN_COST_CACHE_WRITE,
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_COST_IDLE,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_OUTPUT,
  ATTR_COSTSPAN_COST_OVERHEAD,
  ATTR_COSTSPAN_COST_REQUEST,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
} from '@costspan/semconv';
import type { FragmentSpanResult } from './fragment.js';

/**
 * A span's cost, component by component, in exact integer nano-units of its currency; undefined where the span
 * has no such figure. The names follow the cost attributes (`gen_ai.usage.cost.amount`, `costspan.cost.*`).
 */
export interface SpanCostNanos {
  amount: number | undefined;
  input: number | undefined;
  output: number | undefined;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  request: number | undefined;
  gpu: number | undefined;
  idle: number | undefined;
  overhead: number | undefined;
}

/**
 * The exact figures behind a fragment span's cost attributes (for a store, which keeps integer nanos): for every
 * cost attribute the core wrote, the figure it wrote it from — the annotation's `amountNanos` (with a merged GPU
 * share included), the price's component nanos, the merged GPU share's micro-units — never the float written.
 * Another tool's cost (`external`) is the span's amount, though no total is written on the span. A figure the
 * core did not write (a span priced upstream) is the span's own attribute, read once with `amountToNanos`.
 */
export function spanCostNanos(result: FragmentSpanResult): SpanCostNanos {
  const annotation = result.annotation;
  const price = annotation?.price?.nanos;
  const gpu = result.gpu;
  const pick = (key: string, computed: number | undefined): number | undefined => {
    if (result.attributes[key] !== undefined) return computed;
    const own = result.record.attributes[key];
    return typeof own === 'number' ? amountToNanos(own) : undefined;
  };
  return {
    amount:
      annotation?.outcome === 'external'
        ? annotation.amountNanos
        : pick(ATTR_GEN_AI_USAGE_COST_AMOUNT, annotation?.amountNanos),
    input: pick(ATTR_COSTSPAN_COST_INPUT, price?.input),
    output: pick(ATTR_COSTSPAN_COST_OUTPUT, price?.output),
    cacheRead: pick(ATTR_COSTSPAN_COST_CACHE_READ, price?.cacheRead),
    cacheWrite: pick(ATTR_COSTSPAN_COST_CACHE_WRITE, price?.cacheWrite),
    request: pick(ATTR_COSTSPAN_COST_REQUEST, price?.request),
    gpu: pick(ATTR_COSTSPAN_COST_GPU, micros(gpu?.direct)),
    idle: pick(ATTR_COSTSPAN_COST_IDLE, micros(gpu?.idleShare)),
    overhead: pick(ATTR_COSTSPAN_COST_OVERHEAD, micros(gpu?.overhead)),
  };
}

function micros(value: number | undefined): number | undefined {
  return value === undefined ? undefined : microsToNanos(value);
}
