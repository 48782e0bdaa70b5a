/**
 * `costspan.cost.subtree` of a span, in integer nano-units: its own cost plus the cost of every priced descendant,
 * written only when it has priced descendants (a span with none carries its cost in its own amount alone). The
 * one rule both doors apply: `annotateFragment` over a fragment's tree, `CostSpanProcessor` as live spans end.
 */
export function subtreeCost(ownNanos: number, descendantNanos: number): number | undefined {
  return descendantNanos > 0 ? ownNanos + descendantNanos : undefined;
}
