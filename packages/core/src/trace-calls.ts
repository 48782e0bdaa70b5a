import { AgedMap, type WindowOptions } from './aged-map.js';

interface SeenCall {
  parentSpanId: string | undefined;
  /** The span that carries the call's price: the span itself, or the one it is a duplicate of. */
  carrier: string;
}

/**
 * Model-call spans a door decided recently, by trace: `(trace id, span id) → parent span id` and which span
 * carries the call's price. For spans of one call that arrive apart (an instrumentation's span and the span
 * `@anthropic-ai/sdk` makes beneath it, exported in two OTLP requests): a later span whose parent or child in the
 * same trace was a model call already seen is a `duplicate` of the span carrying that call's price — the span that
 * arrived first keeps it. The same span seen again (a retried export) is never a duplicate of itself. Bounded by
 * size and age (oldest first); drops are counted through `onEvict`.
 */
export class TraceCallWindow {
  readonly #calls: AgedMap<SeenCall>;
  /** `traceId/parentSpanId` → the span id of a model call seen beneath it. */
  readonly #children = new Map<string, string>();

  constructor(options: WindowOptions = {}) {
    this.#calls = new AgedMap<SeenCall>(options, 600_000, (key, entry) => this.#forgetChild(key, entry));
  }

  get size(): number {
    return this.#calls.size;
  }

  /**
   * The span carrying the price of the call this span repeats — its own earlier decision when seen before, else
   * that of a model-call parent or child seen earlier in the same trace — or `undefined` (never the span itself).
   */
  carrierFor(traceId: string, spanId: string, parentSpanId: string | undefined): string | undefined {
    const now = this.#calls.now();
    const self = this.#calls.get(`${traceId}/${spanId}`, now);
    if (self !== undefined) return self.carrier === spanId ? undefined : self.carrier;
    if (parentSpanId !== undefined) {
      const parent = this.#calls.get(`${traceId}/${parentSpanId}`, now);
      if (parent !== undefined && parent.carrier !== spanId) return parent.carrier;
    }
    const child = this.#children.get(`${traceId}/${spanId}`);
    if (child !== undefined) {
      const entry = this.#calls.get(`${traceId}/${child}`, now);
      if (entry !== undefined && entry.carrier !== spanId) return entry.carrier;
    }
    return undefined;
  }

  /** Records a decided model-call span: `carrier` is the span that carries its call's price (itself when priced). */
  remember(traceId: string, spanId: string, parentSpanId: string | undefined, carrier: string): void {
    const key = `${traceId}/${spanId}`;
    if (this.#calls.has(key)) return;
    this.#calls.set(key, { parentSpanId, carrier });
    if (parentSpanId !== undefined) {
      const parentKey = `${traceId}/${parentSpanId}`;
      if (!this.#children.has(parentKey)) this.#children.set(parentKey, spanId);
    }
  }

  /** A dropped call is no longer its parent's known child. */
  #forgetChild(key: string, entry: SeenCall): void {
    if (entry.parentSpanId === undefined) return;
    const traceId = key.slice(0, key.indexOf('/'));
    const parentKey = `${traceId}/${entry.parentSpanId}`;
    if (this.#children.get(parentKey) === key.slice(traceId.length + 1)) this.#children.delete(parentKey);
  }
}
