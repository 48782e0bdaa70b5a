import { AgedMap, type WindowOptions } from './aged-map.js';

interface OpenCall {
  parent: string | undefined;
  /** The innermost model call started beneath it: the span that carries the price. */
  inner: string | undefined;
}

/**
 * Model-call spans that started and have not ended, by span id, so that a model call inside another one (an
 * instrumentation's span around the span `@anthropic-ai/sdk` makes of the same call) is known from the inner
 * span's START: whichever ends first, the outer span is a `duplicate` of the innermost one, which carries the
 * price. Independent of end order. Bounded by size and age (spans that never end); drops are counted.
 */
export class OpenModelCalls {
  readonly #open: AgedMap<OpenCall>;

  constructor(options: WindowOptions = {}) {
    this.#open = new AgedMap<OpenCall>(options, 3_600_000);
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
    this.#open.set(spanId, { parent: parentSpanId, inner: undefined });
    // Every open model call above it now repeats this call (bounded walk: nesting is shallow).
    let p = parentSpanId;
    for (let depth = 0; p !== undefined && depth < 32; depth++) {
      const outer = this.#open.peek(p);
      if (outer === undefined) break;
      outer.inner = spanId;
      p = outer.parent;
    }
  }

  /** The span ended: forgets it, and returns the inner model call that carries the price, if it has one. */
  end(spanId: string): string | undefined {
    return this.#open.delete(spanId)?.inner;
  }
}
