import type { FragmentSpanResult, SpanRecord } from '@costspan/core';
import { nanosToUsd } from '@costspan/pricing';
import { ATTR_COSTSPAN_COST_SUBTREE } from '@costspan/semconv';

/** What merging a GPU share added to one span: its cost before (nano-units) and the amount added. */
export interface GpuAddition {
  before: number;
  added: number;
}

/**
 * Adds the GPU shares merged into a fragment's spans to `costspan.cost.subtree` of their ancestors in the same
 * fragment (the core computed the subtree sums before GPU allocation). The tree is the one `annotateFragment`
 * used: parents by span id within the fragment; a parent outside it ends the walk, and so does a cycle. A span
 * gets a subtree figure when a descendant's cost grew, or when it already had one and its own cost grew.
 */
export function addGpuToSubtrees(
  records: readonly SpanRecord[],
  results: FragmentSpanResult[],
  additions: ReadonlyMap<number, GpuAddition>,
): void {
  const byId = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.spanId !== undefined && !byId.has(r.spanId)) byId.set(r.spanId, i);
  });
  const fromDescendants = new Map<number, number>();
  for (const [index, { added }] of additions) {
    const seen = new Set<number>([index]);
    let parentId = records[index]?.parentSpanId;
    while (parentId !== undefined) {
      const parent = byId.get(parentId);
      if (parent === undefined || seen.has(parent)) break;
      seen.add(parent);
      fromDescendants.set(parent, (fromDescendants.get(parent) ?? 0) + added);
      parentId = records[parent]?.parentSpanId;
    }
  }
  const touched = new Set<number>(fromDescendants.keys());
  for (const index of additions.keys()) if (results[index]?.subtreeNanos !== undefined) touched.add(index);
  for (const index of touched) {
    const result = results[index];
    if (!result) continue;
    const own = additions.get(index);
    const ownBefore = own?.before ?? result.annotation?.amountNanos ?? 0;
    const subtree = (result.subtreeNanos ?? ownBefore) + (own?.added ?? 0) + (fromDescendants.get(index) ?? 0);
    result.subtreeNanos = subtree;
    result.attributes[ATTR_COSTSPAN_COST_SUBTREE] = nanosToUsd(subtree);
  }
}
