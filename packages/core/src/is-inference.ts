import { hasDialectSignal } from '@costspan/semconv';
import type { AttrMap } from './record.js';

/**
 * The hot-path test: could this span carry billable usage or a cost, or be a model call? Generated from the
 * dialect table (`hasDialectSignal`: every input total, input + output sum and cost of every dialect, and the
 * operation / span-kind markers) as unrolled property reads of constant names — no allocation, no loop. Spans
 * without any of them (HTTP, DB, …) are never looked at again. A `true` answer is only a hint —
 * `normalizeInference` decides.
 */
export function mayBeInference(attrs: AttrMap): boolean {
  return hasDialectSignal(attrs);
}
