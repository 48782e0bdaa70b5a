import type { WindowOptions } from './call-dedup.js';

interface OpenCall {
  parent: string | undefined;
  /** The innermost model call started beneath it: the span that carries the price. */
  inner: string | undefined;
  since: number;
}

/**
 * Model-call spans that started and have not ended, by span id, so that a model call inside another one (an
 * instrumentation's span around the span `@anthropic-ai/sdk` makes of the same call) is known from the inner
 * span's START: whichever ends first, the outer span is a `duplicate` of the innermost one, which carries the
 * price. Independent of end order. Bounded by size and age (spans that never end); drops are counted.
 */
export class OpenModelCalls {
  readonly #open = new Map<string, OpenCall>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #onEvict: ((count: number) => void) | undefined;
  readonly #now: () => number;

  constructor(options: WindowOptions = {}) {
    this.#maxEntries = positive(options.maxEntries, 10_000);
    this.#maxAgeMs = positive(options.maxAgeMs, 3_600_000);
    this.#onEvict = options.onEvict;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#open.size;
  }

  /** Whether this span is tracked as an open model call. */
  has(spanId: string): boolean {
    return this.#open.has(spanId);
  }

  /** A model-call span started (under `parentSpanId`, when local). */
  start(spanId: string, parentSpanId: string | undefined): void {
    const now = this.#now();
    let dropped = 0;
    for (const [key, entry] of this.#open) {
      if (now - entry.since <= this.#maxAgeMs && this.#open.size < this.#maxEntries) break;
      this.#open.delete(key);
      dropped++;
    }
    if (dropped > 0) this.#onEvict?.(dropped);
    this.#open.set(spanId, { parent: parentSpanId, inner: undefined, since: now });
    // Every open model call above it now repeats this call (bounded walk: nesting is shallow).
    let p = parentSpanId;
    for (let depth = 0; p !== undefined && depth < 32; depth++) {
      const outer = this.#open.get(p);
      if (outer === undefined) break;
      outer.inner = spanId;
      p = outer.parent;
    }
  }

  /** The span ended: forgets it, and returns the inner model call that carries the price, if it has one. */
  end(spanId: string): string | undefined {
    const entry = this.#open.get(spanId);
    if (entry === undefined) return undefined;
    this.#open.delete(spanId);
    return entry.inner;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
