/** Cost carried up to a span from its descendants that already ended. */
export interface SubtreeEntry {
  /** Integer nanos of every priced descendant. */
  nanos: number;
  /** Inference spans beneath (priced or not): a span with any is never priced itself. */
  calls: number;
  /** When the entry was created (ms), for age-based eviction. */
  since: number;
}

export interface SubtreeTrackerOptions {
  /** Entries waiting for an ancestor to end, at most. Default 10,000. */
  maxEntries?: number;
  /** An entry whose ancestor has not ended after this long is dropped. Default 1 hour. */
  maxAgeMs?: number;
  /** Called with the number of entries dropped. */
  onEvict?: (count: number) => void;
  now?: () => number;
}

/**
 * Carries cost up the span tree as spans end, without tracking spans that have nothing to carry: a priced span
 * (or an ancestor holding cost) leaves an entry under its parent's span id; when the parent ends it takes the
 * entry, adds its own cost, and carries the sum to its own parent. Spans with no pending entry cost one map
 * lookup (none at all while the map is empty).
 *
 * Memory is bounded: entries for ancestors that never end here (remote parents are never carried to; a span
 * that is never ended) are dropped past `maxEntries` or `maxAgeMs`, oldest first, and counted.
 */
export class SubtreeCostTracker {
  readonly #pending = new Map<string, SubtreeEntry>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #onEvict: ((count: number) => void) | undefined;
  readonly #now: () => number;
  #evicted = 0;

  constructor(options: SubtreeTrackerOptions = {}) {
    this.#maxEntries = positive(options.maxEntries, 10_000);
    this.#maxAgeMs = positive(options.maxAgeMs, 3_600_000);
    this.#onEvict = options.onEvict;
    this.#now = options.now ?? Date.now;
  }

  /** Entries waiting for an ancestor. */
  get size(): number {
    return this.#pending.size;
  }

  /** Entries dropped so far. */
  get evicted(): number {
    return this.#evicted;
  }

  /** Removes and returns what descendants carried to this span, if anything. */
  take(spanId: string): SubtreeEntry | undefined {
    const entry = this.#pending.get(spanId);
    if (entry !== undefined) this.#pending.delete(spanId);
    return entry;
  }

  /** Adds a finished subtree's cost and call count to its parent's entry. */
  carry(parentSpanId: string, nanos: number, calls: number): void {
    const entry = this.#pending.get(parentSpanId);
    if (entry !== undefined) {
      entry.nanos += nanos;
      entry.calls += calls;
      return;
    }
    const now = this.#now();
    this.#evict(now);
    this.#pending.set(parentSpanId, { nanos, calls, since: now });
  }

  /** Drops entries past the age limit, and the oldest ones while at the cap (Map keeps insertion order). */
  #evict(now: number): void {
    let dropped = 0;
    for (const [key, entry] of this.#pending) {
      if (now - entry.since <= this.#maxAgeMs && this.#pending.size < this.#maxEntries) break;
      this.#pending.delete(key);
      dropped++;
    }
    if (dropped > 0) {
      this.#evicted += dropped;
      this.#onEvict?.(dropped);
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
