import { nanosToUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_SUBTREE,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
} from '@costspan/semconv';
import type { FragmentSpanResult } from './fragment.js';
import { type GpuShare, mergeGpuShare } from './gpu-share.js';
import { subtreeCost } from './subtree-cost.js';

/** Cost added to one span of a fragment after `annotateFragment` priced it, in integer nano-units. */
export interface FragmentCostAddition {
  /** The span's own cost before the addition (0 when it had none). */
  before: number;
  /** What was added to it (> 0). */
  added: number;
}

/**
 * Carries cost added to spans after `annotateFragment` ran (a GPU share, any cost known only later) up the tree
 * that call walked (`FragmentSpanResult.parentIndex`) into `costspan.cost.subtree`, exactly to the nano. A span gets
 * a subtree figure when a descendant's cost grew, or when it already had one and its own cost grew; a span whose
 * own cost grew and that has no priced descendants keeps its cost in its own amount only.
 *
 * `additions` is keyed by index in `results`. Each result's `subtreeNanos` and `costspan.cost.subtree` attribute
 * are updated in place.
 */
export function addFragmentCosts(
  results: FragmentSpanResult[],
  additions: ReadonlyMap<number, FragmentCostAddition>,
): void {
  if (additions.size === 0) return;
  const fromDescendants = new Map<number, number>();
  for (const [index, { added }] of additions) {
    let parent = results[index]?.parentIndex;
    while (parent !== undefined) {
      fromDescendants.set(parent, (fromDescendants.get(parent) ?? 0) + added);
      parent = results[parent]?.parentIndex;
    }
  }
  const touched = new Set<number>(fromDescendants.keys());
  for (const index of additions.keys()) if (results[index]?.subtreeNanos !== undefined) touched.add(index);
  for (const index of touched) {
    const result = results[index];
    if (result === undefined) continue;
    const own = additions.get(index);
    const ownBefore = own?.before ?? result.annotation?.amountNanos ?? 0;
    const descendantsBefore = (result.subtreeNanos ?? ownBefore) - ownBefore;
    const subtree = subtreeCost(ownBefore + (own?.added ?? 0), descendantsBefore + (fromDescendants.get(index) ?? 0));
    if (subtree === undefined) continue;
    result.subtreeNanos = subtree;
    result.attributes[ATTR_COSTSPAN_COST_SUBTREE] = nanosToUsd(subtree);
  }
}

/**
 * Merges GPU node shares into a fragment's spans with the one rule (`mergeGpuShare`), then carries what each added
 * into its ancestors' subtree cost (`addFragmentCosts`). `shares` is keyed by index in `results`; each merged
 * result records its share in `gpu`.
 *
 * A span priced upstream (`existing`) keeps the cost currency and source it carries: `mergeGpuShare` adds the GPU
 * share to its amount, or prices it at its GPU cost when its tokens were `unpriced`.
 */
export function mergeFragmentGpuShares(results: FragmentSpanResult[], shares: ReadonlyMap<number, GpuShare>): void {
  const additions = new Map<number, FragmentCostAddition>();
  for (const [index, share] of shares) {
    const result = results[index];
    if (result === undefined) continue;
    const annotation = result.annotation;
    const before = annotation?.amountNanos ?? 0;
    if (annotation?.outcome === 'existing') {
      const recorded = result.record.attributes;
      for (const key of [ATTR_GEN_AI_USAGE_COST_CURRENCY, ATTR_GEN_AI_USAGE_COST_SOURCE]) {
        const value = recorded[key];
        if (typeof value === 'string' && result.attributes[key] === undefined) result.attributes[key] = value;
      }
    }
    const total = mergeGpuShare(result.attributes, share, annotation) ?? before;
    result.gpu = share;
    if (total > before) additions.set(index, { before, added: total - before });
  }
  addFragmentCosts(results, additions);
}
