import { SIGNAL_NAMES } from './dialect-table.js';
import type { AttrMap } from './record.js';

/**
 * The hot-path test: could this span carry billable usage or a cost, or be a model call? A loop of property reads
 * over a frozen list compiled once from the dialect table (every input total, every input + output sum, every
 * cost, and the operation / span-kind markers), no allocation. Spans without any of them (HTTP, DB, …) are never
 * looked at again. A `true` answer is only a hint — `normalizeInference` decides.
 */
export function mayBeInference(attrs: AttrMap): boolean {
  const names = SIGNAL_NAMES;
  for (let i = 0; i < names.length; i++) if (attrs[names[i] as string] !== undefined) return true;
  return false;
}
