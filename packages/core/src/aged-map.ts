/** Bounds of a de-duplication window. */
export interface WindowOptions {
  /** Entries kept at most. Default 10,000. */
  maxEntries?: number;
  /** An entry older than this is dropped. Default 10 minutes (each window may choose its own). */
  maxAgeMs?: number;
  /** Called with the number of entries dropped (size or age). */
  onEvict?: (count: number) => void;
  now?: () => number;
}

interface Slot<V> {
  readonly key: string;
  readonly value: V;
  readonly since: number;
  /** False once deleted or replaced: the slot then only waits to leave the order queue. */
  live: boolean;
}

/**
 * A map bounded by size and age, oldest dropped first, for the per-span de-duplication windows. Insertion order is
 * kept in a queue of its own (a head index, compacted now and then), so dropping the oldest entry is O(1)
 * amortized: iterating a `Map` from its start after many deletions walks every deleted slot, which made each
 * insertion cost microseconds on the hot path. Drops (size or age, not explicit deletes) are counted through
 * `onEvict` and reported to `onDrop`.
 */
export class AgedMap<V> {
  readonly #map = new Map<string, Slot<V>>();
  #order: Slot<V>[] = [];
  #head = 0;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #onEvict: ((count: number) => void) | undefined;
  readonly #onDrop: ((key: string, value: V) => void) | undefined;
  readonly now: () => number;

  constructor(options: WindowOptions, defaultMaxAgeMs: number, onDrop?: (key: string, value: V) => void) {
    this.#maxEntries = positive(options.maxEntries, 10_000);
    this.#maxAgeMs = positive(options.maxAgeMs, defaultMaxAgeMs);
    this.#onEvict = options.onEvict;
    this.#onDrop = onDrop;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#map.size;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** The value, whatever its age. */
  peek(key: string): V | undefined {
    return this.#map.get(key)?.value;
  }

  /** The value, or `undefined` when absent or older than the age bound (then dropped and counted). */
  get(key: string, now: number = this.now()): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    if (now - slot.since > this.#maxAgeMs) {
      this.#kill(slot);
      this.#onEvict?.(1);
      return undefined;
    }
    return slot.value;
  }

  /** Inserts (or replaces) after dropping what is too old, and the oldest while the map is full. */
  set(key: string, value: V, now: number = this.now()): void {
    this.delete(key);
    let dropped = 0;
    const order = this.#order;
    while (this.#head < order.length) {
      const slot = order[this.#head] as Slot<V>;
      if (slot.live) {
        if (now - slot.since <= this.#maxAgeMs && this.#map.size < this.#maxEntries) break;
        this.#kill(slot);
        dropped++;
      }
      this.#head++;
    }
    if (dropped > 0) this.#onEvict?.(dropped);
    const slot: Slot<V> = { key, value, since: now, live: true };
    this.#map.set(key, slot);
    order.push(slot);
    this.#compact();
  }

  /** Calls `fn` with every entry's value, oldest first. */
  forEachValue(fn: (value: V) => void): void {
    const order = this.#order;
    for (let i = this.#head; i < order.length; i++) {
      const slot = order[i] as Slot<V>;
      if (slot.live) fn(slot.value);
    }
  }

  /** Removes the entry (not counted as a drop); returns its value. */
  delete(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    slot.live = false;
    this.#map.delete(key);
    return slot.value;
  }

  #kill(slot: Slot<V>): void {
    slot.live = false;
    this.#map.delete(slot.key);
    this.#onDrop?.(slot.key, slot.value);
  }

  /** Keeps the queue proportional to the live entries: consumed slots, then deleted ones behind a long-lived head. */
  #compact(): void {
    const length = this.#order.length;
    if (this.#head > 1024 && this.#head * 2 > length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    } else if (length - this.#head > 2 * this.#map.size + 1024) {
      this.#order = this.#order.slice(this.#head).filter((s) => s.live);
      this.#head = 0;
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
