import {
  type AllocationEstimate,
  type AllocationUsage,
  type GpuAllocator,
  microsToAmount,
  microsToNanos,
  type RequestAllocation,
  type RequestWindowPart,
  type ResolvedGpuConfig,
} from '@costspan/allocation';
import { nanosToUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_ALLOCATION_IDLE,
  ATTR_COSTSPAN_ALLOCATION_METHOD,
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_COST_IDLE,
  ATTR_COSTSPAN_COST_OVERHEAD,
  ATTR_COSTSPAN_GPU_CONCURRENCY,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_SECONDS,
  ATTR_COSTSPAN_GPU_UTILIZATION,
  ATTR_COSTSPAN_PRICING_REASON,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  COSTSPAN_PRICING_STATUS_VALUE_PRICED,
  GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
} from '@costspan/semconv';
import type { CostAnnotation } from './cost-core.js';
import type { AttrValue } from './record.js';

/**
 * A request's share of a self-hosted GPU node, as a door hands it to `mergeGpuShare`. Amounts are integer
 * micro-units of the node's currency (micro-dollars for USD), exactly as the allocator computed them.
 */
export interface GpuShare {
  node: string;
  currency: string;
  method: ResolvedGpuConfig['method'];
  idlePolicy: ResolvedGpuConfig['idle'];
  /** Direct share of the node's busy time. */
  direct: number;
  /** Part of the node's idle time loaded onto the request (`idle: 'shared'`), else 0. */
  idleShare: number;
  /** Overhead loading, else 0. */
  overhead: number;
  /** True when an overhead is configured: `costspan.cost.overhead` is then written even when 0. */
  hasOverhead: boolean;
  /** Busy node-seconds allocated to the request. */
  seconds: number;
  /** Mean number of requests in flight on the node during the request. */
  concurrency: number;
  /** Busy fraction of the node in the request's window(s), when known. */
  utilization: number | undefined;
  /** True when the figures will not change: exact at span end, or taken from closed windows. */
  final: boolean;
}

/**
 * Is the figure a request gets at its end already the one its windows will give? Only for the time share with
 * idle kept separate and no overhead (nothing is estimated from another window), when no event arrived out of
 * time order; or when every window of the request has closed.
 */
export function exactAtEnd(
  config: ResolvedGpuConfig,
  allocation: RequestAllocation,
  estimate: AllocationEstimate,
): boolean {
  if (!allocation.exact) return false;
  if (estimate.final) return true;
  return config.method === 'time' && config.idle === 'separate' && config.overhead.kind === 'none';
}

/**
 * The share a request carries when it ends: the direct time share (exact), and for shared idle, overhead and the
 * window-based methods the allocator's provisional estimate from the node's previous window.
 */
export function gpuShareAtEnd(
  allocator: GpuAllocator,
  allocation: RequestAllocation,
  usage: AllocationUsage | undefined,
  utilization: number | undefined,
): GpuShare {
  const config = allocator.config;
  const estimate = allocator.estimate(allocation, usage);
  return {
    node: allocation.nodeId,
    currency: allocation.currency,
    method: config.method,
    idlePolicy: config.idle,
    direct: estimate.direct,
    idleShare: estimate.idleShare,
    overhead: estimate.overhead,
    hasOverhead: config.overhead.kind !== 'none',
    seconds: allocation.gpuSeconds,
    concurrency: allocation.meanConcurrency,
    utilization,
    final: exactAtEnd(config, allocation, estimate),
  };
}

/** A request's final window parts added up: micro-units of the node's currency, and busy node-seconds. */
export interface GpuPartsSum {
  direct: number;
  idleShare: number;
  overhead: number;
  seconds: number;
}

/** An empty sum, to add window parts to with `addWindowPart`. */
export function emptyPartsSum(): GpuPartsSum {
  return { direct: 0, idleShare: 0, overhead: 0, seconds: 0 };
}

/** Adds one window part of a request to its running sum (the one way every door sums a request's parts). */
export function addWindowPart(sum: GpuPartsSum, part: RequestWindowPart): void {
  sum.direct += part.direct;
  sum.idleShare += part.idleShare;
  sum.overhead += part.overhead;
  sum.seconds += part.gpuSeconds;
}

/** Sums a request's final window parts into its final share (`final: true`). */
export function gpuShareFromParts(
  config: ResolvedGpuConfig,
  node: string,
  currency: string,
  concurrency: number,
  parts: readonly RequestWindowPart[],
  utilization: number | undefined,
): GpuShare {
  const sum = emptyPartsSum();
  for (const part of parts) addWindowPart(sum, part);
  return {
    node,
    currency,
    method: config.method,
    idlePolicy: config.idle,
    direct: sum.direct,
    idleShare: sum.idleShare,
    overhead: sum.overhead,
    hasOverhead: config.overhead.kind !== 'none',
    seconds: sum.seconds,
    concurrency,
    utilization,
    final: true,
  };
}

/** Total of a share in integer nano-units (the cost core's money). Exact. */
export function gpuShareNanos(share: GpuShare): number {
  return microsToNanos(share.direct + share.idleShare + share.overhead);
}

/**
 * The one rule, used by every door, for adding a request's GPU share to its cost attributes:
 *
 * - `gen_ai.usage.cost.amount` = token cost + GPU share (direct + idle share + overhead); the GPU components are
 *   written beside it (`costspan.cost.gpu`, and `costspan.cost.idle` / `.overhead` when the policy applies), with
 *   the node, busy seconds, concurrency, utilization, method, idle policy and `costspan.allocation.final`.
 * - A self-hosted model's tokens cost $0 unless the price book priced them: a span the core left `unpriced`
 *   becomes `priced` at its GPU cost, and the provenance says why (`costspan.pricing.source` names the node,
 *   `costspan.pricing.reason` says the tokens were taken as $0).
 * - A token cost in another currency than the node's is never added to it: the amount stays the token cost and
 *   the GPU components stand beside it.
 *
 * `attrs` is the attribute set the door will write. When the core's annotation is given, its outcome and amount
 * are updated to match (so metrics see the merged cost). Returns the span's total cost in nano-units.
 */
export function mergeGpuShare(
  attrs: Record<string, AttrValue>,
  share: GpuShare,
  annotation?: CostAnnotation,
): number | undefined {
  const gpuNanos = gpuShareNanos(share);
  const tokensPriced =
    annotation !== undefined && annotation.outcome !== 'unpriced' && annotation.amountNanos !== undefined;
  let total: number | undefined;
  if (tokensPriced) {
    const tokenNanos = annotation.amountNanos as number;
    const sameCurrency = (annotation.currency ?? 'USD') === share.currency;
    total = sameCurrency ? tokenNanos + gpuNanos : tokenNanos;
  } else {
    total = gpuNanos;
    attrs[ATTR_COSTSPAN_PRICING_STATUS] = COSTSPAN_PRICING_STATUS_VALUE_PRICED;
    const provenance = selfHostedProvenance(share.node);
    attrs[ATTR_COSTSPAN_PRICING_SOURCE] = provenance.source;
    attrs[ATTR_COSTSPAN_PRICING_REASON] = provenance.reason;
    attrs[ATTR_GEN_AI_USAGE_COST_CURRENCY] = share.currency;
  }
  const amount = nanosToUsd(total);
  attrs[ATTR_GEN_AI_USAGE_COST_AMOUNT] = amount;
  if (attrs[ATTR_GEN_AI_USAGE_COST_CURRENCY] === undefined) attrs[ATTR_GEN_AI_USAGE_COST_CURRENCY] = share.currency;
  if (attrs[ATTR_GEN_AI_USAGE_COST_SOURCE] === undefined) {
    attrs[ATTR_GEN_AI_USAGE_COST_SOURCE] = GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL;
  }
  attrs[ATTR_COSTSPAN_COST_GPU] = microsToAmount(share.direct);
  if (share.idlePolicy === 'shared' || share.idleShare > 0)
    attrs[ATTR_COSTSPAN_COST_IDLE] = microsToAmount(share.idleShare);
  if (share.hasOverhead || share.overhead > 0) attrs[ATTR_COSTSPAN_COST_OVERHEAD] = microsToAmount(share.overhead);
  attrs[ATTR_COSTSPAN_GPU_NODE] = share.node;
  attrs[ATTR_COSTSPAN_GPU_SECONDS] = share.seconds;
  attrs[ATTR_COSTSPAN_GPU_CONCURRENCY] = share.concurrency;
  if (share.utilization !== undefined) attrs[ATTR_COSTSPAN_GPU_UTILIZATION] = share.utilization;
  attrs[ATTR_COSTSPAN_ALLOCATION_METHOD] = share.method;
  attrs[ATTR_COSTSPAN_ALLOCATION_IDLE] = share.idlePolicy;
  attrs[ATTR_COSTSPAN_ALLOCATION_FINAL] = share.final;

  if (annotation !== undefined) {
    if (!tokensPriced) {
      annotation.outcome = 'priced';
      annotation.reason = selfHostedProvenance(share.node).reason;
      annotation.currency = share.currency;
    }
    annotation.amountNanos = total;
    annotation.amount = amount;
  }
  return total;
}

const provenanceByNode = new Map<string, { source: string; reason: string }>();

/** Pricing source and reason of a self-hosted model's $0 tokens, built once per node (node ids come from config). */
function selfHostedProvenance(node: string): { source: string; reason: string } {
  let provenance = provenanceByNode.get(node);
  if (provenance === undefined) {
    provenance = {
      source: `gpu-node:${node}`,
      reason: `tokens priced at $0: the model is served by self-hosted GPU node '${node}' and not in the price book; the cost is the node's GPU time`,
    };
    if (provenanceByNode.size < 1024) provenanceByNode.set(node, provenance);
  }
  return provenance;
}
