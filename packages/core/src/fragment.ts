import { nanosToUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_SUBTREE,
  ATTR_COSTSPAN_PRICING_DUPLICATE_OF,
  ATTR_COSTSPAN_PRICING_STATUS,
  COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE,
} from '@costspan/semconv';
import { annotateOnce, ResponseIdWindow } from './call-dedup.js';
import type { CostAnnotation, CostCore } from './cost-core.js';
import type { GpuShare } from './gpu-share.js';
import { mayBeInference } from './is-inference.js';
import { isDefiniteModelCall } from './is-model-call.js';
import type { AttrValue, SpanRecord } from './record.js';
import { subtreeCost } from './subtree-cost.js';
import type { TraceCallWindow } from './trace-calls.js';
import type { TwinCallWindow } from './twin-calls.js';

/** The windows a door keeps across fragments (OTLP requests), each optional. */
export interface DedupWindows {
  /** Provider response ids of calls already priced. */
  responseIds?: ResponseIdWindow;
  /** Recent model-call spans by trace: spans of one call split across requests. */
  traceCalls?: TraceCallWindow;
  /** One call recorded by two producers in two traces (see `TwinCallWindow`). */
  twins?: TwinCallWindow;
}

export interface FragmentSpanResult {
  record: SpanRecord;
  /** The span's own pricing, when it is a model call. */
  annotation?: CostAnnotation;
  /** Own cost + every priced descendant in the fragment, when it has priced descendants. */
  subtreeNanos?: number;
  /** Everything to set on the span: the annotation's attributes plus `costspan.cost.subtree`. Empty when none. */
  attributes: Record<string, AttrValue>;
  /**
   * Index (in the input) of the span whose subtree this span's cost was carried to: its parent in the tree
   * `annotateFragment` walked. Absent for a root (no parent in the fragment, or a parent link closing a cycle).
   * Cost added to a span later (`addFragmentCosts`, `mergeFragmentGpuShares`) is carried up these links.
   */
  parentIndex?: number;
  /** The GPU node share `mergeFragmentGpuShares` merged into the span, when it got one. */
  gpu?: GpuShare;
}

/**
 * Prices a set of spans that arrived together (one OTLP request, one trace fragment), whatever their order:
 * children are annotated before their parents, so a wrapper span over a priced call is not priced again, and
 * every ancestor with priced descendants in the fragment gets `costspan.cost.subtree`. Results are returned in
 * input order. Parent links that form a cycle or point outside the fragment are treated as roots.
 *
 * One price per call: a model-call span (by its operation or kind) with a model call beneath it is a `duplicate`
 * of the innermost one, and, with a `window`, a span whose provider response id a span of this or an earlier
 * fragment already carries is a `duplicate` of that one. With `traceCalls`, a model-call span whose parent or
 * child in the same trace arrived in an earlier fragment is a `duplicate` of the span carrying that call's price
 * (the one that arrived first); with `twins`, the cross-trace rule of `TwinCallWindow` applies.
 */
export function annotateFragment(
  core: CostCore,
  records: readonly SpanRecord[],
  windows?: ResponseIdWindow | DedupWindows,
): FragmentSpanResult[] {
  const w: DedupWindows | undefined = windows instanceof ResponseIdWindow ? { responseIds: windows } : windows;
  const traceCalls = w?.traceCalls;
  const results: FragmentSpanResult[] = records.map((record) => ({ record, attributes: {} }));
  const byId = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.spanId !== undefined && !byId.has(r.spanId)) byId.set(r.spanId, i);
  });
  const children: number[][] = records.map(() => []);
  const roots: number[] = [];
  records.forEach((r, i) => {
    const parent = r.parentSpanId !== undefined ? byId.get(r.parentSpanId) : undefined;
    if (parent === undefined || parent === i) roots.push(i);
    else children[parent]?.push(i);
  });

  const nanos = new Array<number>(records.length).fill(0);
  const calls = new Array<number>(records.length).fill(0);
  /** The span id of the innermost model call at or beneath each span (the one that carries the price). */
  const carrier = new Array<string | undefined>(records.length).fill(undefined);
  /** What each span was found a duplicate of. */
  const duplicateOfs = new Array<string | undefined>(records.length).fill(undefined);
  const state = new Uint8Array(records.length); // 0 new, 1 open, 2 done
  const visit = (root: number) => {
    const stack: number[] = [root];
    while (stack.length > 0) {
      const i = stack[stack.length - 1] as number;
      if (state[i] === 0) {
        state[i] = 1;
        for (const c of children[i] ?? []) if (state[c] === 0) stack.push(c);
        continue;
      }
      stack.pop();
      if (state[i] === 2) continue;
      state[i] = 2;
      let descNanos = 0;
      let descCalls = 0;
      let inner: string | undefined;
      const result = results[i] as FragmentSpanResult;
      const record = result.record;
      for (const c of children[i] ?? []) {
        if (state[c] !== 2) continue;
        (results[c] as FragmentSpanResult).parentIndex = i;
        descNanos += nanos[c] as number;
        // A child that is a duplicate of this span (decided in an earlier fragment: a retried request) is this
        // call, not a call beneath it.
        if (record.spanId !== undefined && duplicateOfs[c] === record.spanId) {
          descCalls += (calls[c] as number) - 1;
          continue;
        }
        descCalls += calls[c] as number;
        inner ??= carrier[c];
      }
      let duplicateOf = inner !== undefined && isDefiniteModelCall(record.name, record.attributes) ? inner : undefined;
      // Spans of the same call that arrived in an earlier fragment: the one that arrived first keeps the price.
      if (
        duplicateOf === undefined &&
        descCalls === 0 &&
        traceCalls !== undefined &&
        record.traceId !== undefined &&
        record.spanId !== undefined &&
        mayBeInference(record.attributes)
      ) {
        duplicateOf = traceCalls.carrierFor(record.traceId, record.spanId, record.parentSpanId);
      }
      const annotation = annotateOnce(
        core,
        record,
        { descendantCalls: descCalls, duplicateOf },
        w?.responseIds,
        w?.twins,
      );
      if (annotation !== undefined && traceCalls !== undefined) rememberCall(traceCalls, record, annotation);
      carrier[i] =
        annotation !== undefined && annotation.outcome !== 'duplicate' && descCalls === 0 ? record.spanId : inner;
      const own = annotation?.amountNanos ?? 0;
      nanos[i] = own + descNanos;
      calls[i] = descCalls + (annotation !== undefined ? 1 : 0);
      if (annotation !== undefined) {
        if (annotation.outcome === 'duplicate') {
          const of = annotation.attributes[ATTR_COSTSPAN_PRICING_DUPLICATE_OF];
          duplicateOfs[i] = typeof of === 'string' ? of : undefined;
        }
        result.annotation = annotation;
        Object.assign(result.attributes, annotation.attributes);
      }
      const subtree = subtreeCost(own, descNanos);
      if (subtree !== undefined) {
        result.subtreeNanos = subtree;
        result.attributes[ATTR_COSTSPAN_COST_SUBTREE] = nanosToUsd(subtree);
      }
    }
  };
  for (const r of roots) visit(r);
  // Spans only reachable through a parent cycle.
  for (let i = 0; i < records.length; i++) if (state[i] === 0) visit(i);
  return results;
}

/** Enters a decided model-call span in the trace window with the span that carries its call's price. */
function rememberCall(calls: TraceCallWindow, record: SpanRecord, annotation: CostAnnotation): void {
  if (record.traceId === undefined || record.spanId === undefined) return;
  const carrier = carrierOf(record, annotation);
  if (carrier !== undefined) calls.remember(record.traceId, record.spanId, record.parentSpanId, carrier);
}

function carrierOf(record: SpanRecord, annotation: CostAnnotation): string | undefined {
  const o = annotation.outcome;
  if (o === 'duplicate') {
    const of = annotation.attributes[ATTR_COSTSPAN_PRICING_DUPLICATE_OF];
    return typeof of === 'string' ? of : undefined;
  }
  if (o === 'existing') {
    // Decided upstream (an in-process costspan): as it was decided there.
    const status = record.attributes[ATTR_COSTSPAN_PRICING_STATUS];
    const of = record.attributes[ATTR_COSTSPAN_PRICING_DUPLICATE_OF];
    if (status === COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE) return typeof of === 'string' ? of : undefined;
    return annotation.amountNanos !== undefined ? record.spanId : undefined;
  }
  // A span without usage does not carry the call: a later span of it with usage is still priced.
  if (o === 'unpriced' && !annotation.usage.hasTokens) return undefined;
  return record.spanId;
}
