import { nanosToUsd } from '@costspan/pricing';
import { ATTR_COSTSPAN_COST_SUBTREE } from '@costspan/semconv';
import { annotateOnce, type ResponseIdWindow } from './call-dedup.js';
import type { CostAnnotation, CostCore } from './cost-core.js';
import { isDefiniteModelCall } from './is-model-call.js';
import type { AttrValue, SpanRecord } from './record.js';

export interface FragmentSpanResult {
  record: SpanRecord;
  /** The span's own pricing, when it is a model call. */
  annotation?: CostAnnotation;
  /** Own cost + every priced descendant in the fragment, when it has priced descendants. */
  subtreeNanos?: number;
  /** Everything to set on the span: the annotation's attributes plus `costspan.cost.subtree`. Empty when none. */
  attributes: Record<string, AttrValue>;
}

/**
 * Prices a set of spans that arrived together (one OTLP request, one trace fragment), whatever their order:
 * children are annotated before their parents, so a wrapper span over a priced call is not priced again, and
 * every ancestor with priced descendants in the fragment gets `costspan.cost.subtree`. Results are returned in
 * input order. Parent links that form a cycle or point outside the fragment are treated as roots.
 *
 * One price per call: a model-call span (by its operation or kind) with a model call beneath it is a `duplicate`
 * of the innermost one, and, with a `window`, a span whose provider response id a span of this or an earlier
 * fragment already carries is a `duplicate` of that one.
 */
export function annotateFragment(
  core: CostCore,
  records: readonly SpanRecord[],
  window?: ResponseIdWindow,
): FragmentSpanResult[] {
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
      for (const c of children[i] ?? []) {
        if (state[c] !== 2) continue;
        descNanos += nanos[c] as number;
        descCalls += calls[c] as number;
        inner ??= carrier[c];
      }
      const result = results[i] as FragmentSpanResult;
      const record = result.record;
      const duplicateOf =
        inner !== undefined && isDefiniteModelCall(record.name, record.attributes) ? inner : undefined;
      const annotation = annotateOnce(core, record, { descendantCalls: descCalls, duplicateOf }, window);
      carrier[i] =
        annotation !== undefined && annotation.outcome !== 'duplicate' && descCalls === 0 ? record.spanId : inner;
      const own = annotation?.amountNanos ?? 0;
      nanos[i] = own + descNanos;
      calls[i] = descCalls + (annotation !== undefined ? 1 : 0);
      if (annotation !== undefined) {
        result.annotation = annotation;
        Object.assign(result.attributes, annotation.attributes);
      }
      if (descNanos > 0) {
        result.subtreeNanos = own + descNanos;
        result.attributes[ATTR_COSTSPAN_COST_SUBTREE] = nanosToUsd(own + descNanos);
      }
    }
  };
  for (const r of roots) visit(r);
  // Spans only reachable through a parent cycle.
  for (let i = 0; i < records.length; i++) if (state[i] === 0) visit(i);
  return results;
}
