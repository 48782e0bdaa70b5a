import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Several exporting processors behind one, so the CostSpanProcessor can wrap them (its `next`): it then releases
 * spans it held for a GPU window before they are flushed. A throwing member does not stop the others.
 */
export class FanOutSpanProcessor implements SpanProcessor {
  readonly #members: readonly SpanProcessor[];

  constructor(members: readonly SpanProcessor[]) {
    this.#members = members;
  }

  onStart(span: Span, parentContext: Context): void {
    for (const m of this.#members) {
      try {
        m.onStart(span, parentContext);
      } catch {
        // one exporter's failure is not the others'
      }
    }
  }

  onEnding(span: Span): void {
    for (const m of this.#members) {
      try {
        m.onEnding?.(span);
      } catch {
        // as above
      }
    }
  }

  onEnd(span: ReadableSpan): void {
    for (const m of this.#members) {
      try {
        m.onEnd(span);
      } catch {
        // as above
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled(this.#members.map((m) => m.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled(this.#members.map((m) => m.shutdown()));
  }
}
