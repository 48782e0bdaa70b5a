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

/**
 * A map bounded by size and age, oldest dropped first, for the per-span de-duplication windows. Insertion order is
 * kept in parallel arrays (key, value, insertion time) with a head index, compacted now and then, and the map
 * holds each key's index: dropping the oldest entry is O(1) amortized (iterating a `Map` from its start after
 * many deletions walks every deleted slot, which made each insertion cost microseconds on the hot path), and an
 * entry costs no object of its own (every span would otherwise leave one to be promoted and collected). Drops
 * (size or age, not explicit deletes) are counted through `onEvict` and reported to `onDrop`.
 */
export class AgedMap<V> {
  /** Key → position: its index in the arrays below plus `#base` (so consumed slots leave without renumbering). */
  readonly #map = new Map<string, number>();
  #base = 0;
  /** In insertion order; `undefined` once deleted or replaced (the slot then only waits to leave the queue). */
  #keys: Array<string | undefined> = [];
  #values: Array<V | undefined> = [];
  #since: number[] = [];
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
    const at = this.#map.get(key);
    return at === undefined ? undefined : this.#values[at - this.#base];
  }

  /** The value, or `undefined` when absent or older than the age bound (then dropped and counted). */
  get(key: string, now: number = this.now()): V | undefined {
    const position = this.#map.get(key);
    if (position === undefined) return undefined;
    const at = position - this.#base;
    if (now - (this.#since[at] as number) > this.#maxAgeMs) {
      this.#kill(at);
      this.#onEvict?.(1);
      return undefined;
    }
    return this.#values[at];
  }

  /** Inserts (or replaces) after dropping what is too old, and the oldest while the map is full. */
  set(key: string, value: V, now: number = this.now()): void {
    this.delete(key);
    this.insertAbsent(key, value, now);
  }

  /**
   * `set` for a key the caller just found absent (`has` / `get` answered no, and nothing was inserted since): saves
   * the lookup `set` makes to replace an entry, a cache miss on a large window.
   */
  insertAbsent(key: string, value: V, now: number = this.now()): void {
    let dropped = 0;
    const keys = this.#keys;
    const since = this.#since;
    while (this.#head < keys.length) {
      const at = this.#head;
      if (keys[at] !== undefined) {
        if (now - (since[at] as number) <= this.#maxAgeMs && this.#map.size < this.#maxEntries) break;
        this.#kill(at);
        dropped++;
      }
      this.#head++;
    }
    if (dropped > 0) this.#onEvict?.(dropped);
    this.#map.set(key, this.#base + keys.length);
    keys.push(key);
    this.#values.push(value);
    since.push(now);
    this.#compact();
  }

  /** Removes the entry (not counted as a drop); returns its value. */
  delete(key: string): V | undefined {
    const position = this.#map.get(key);
    if (position === undefined) return undefined;
    const at = position - this.#base;
    const value = this.#values[at];
    this.#keys[at] = undefined;
    this.#values[at] = undefined;
    this.#map.delete(key);
    return value;
  }

  /** Calls `fn` with every entry's value, oldest first. */
  forEachValue(fn: (value: V) => void): void {
    const keys = this.#keys;
    for (let i = this.#head; i < keys.length; i++) if (keys[i] !== undefined) fn(this.#values[i] as V);
  }

  #kill(at: number): void {
    const key = this.#keys[at] as string;
    const value = this.#values[at] as V;
    this.#keys[at] = undefined;
    this.#values[at] = undefined;
    this.#map.delete(key);
    this.#onDrop?.(key, value);
  }

  /**
   * Keeps the arrays proportional to the live entries: once more than half of them is consumed, the consumed
   * slots are cut off (positions stay valid: `#base` moves); when deleted slots behind a long-lived head outnumber
   * the live entries, the live slots move to the front and the map gets their new positions (also done before
   * positions would outgrow small integers). Each is at most the work of the slots passed since the last one.
   */
  #compact(): void {
    const length = this.#keys.length;
    const head = this.#head;
    if (length - head > 2 * this.#map.size + 1024 || this.#base > 0x3fff_ffff - length) {
      const keys: Array<string | undefined> = [];
      const values: Array<V | undefined> = [];
      const since: number[] = [];
      for (let i = head; i < length; i++) {
        const key = this.#keys[i];
        if (key === undefined) continue;
        this.#map.set(key, keys.length);
        keys.push(key);
        values.push(this.#values[i]);
        since.push(this.#since[i] as number);
      }
      this.#keys = keys;
      this.#values = values;
      this.#since = since;
      this.#base = 0;
      this.#head = 0;
    } else if (head > 1024 && head * 2 > length) {
      this.#keys = this.#keys.slice(head);
      this.#values = this.#values.slice(head);
      this.#since = this.#since.slice(head);
      this.#base += head;
      this.#head = 0;
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
