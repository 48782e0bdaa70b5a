import type { RequestWindowPart, WindowClose } from '@costspan/allocation';
import type { CostAnnotation } from '@costspan/core';

/** A span waiting in windowed mode for the last window it touched to close. */
export interface HeldSpan<S> {
  requestId: string;
  node: string;
  currency: string;
  concurrency: number;
  /** Its final window parts collected so far (parts of windows closed before it ended, then each close). */
  parts: RequestWindowPart[];
  /** Start (ms) of the window holding the span's end: once it closes, the span's figures are final. */
  lastWindowStart: number;
  /** The core's annotation as it was before the GPU share was merged (the token cost), if the span had one. */
  tokens: CostAnnotation | undefined;
  /** Busy fraction of the node in the window holding the span's end, once known. */
  utilization: number | undefined;
  /** The ended span, once the SDK handed it over (`onEnd`). */
  span: S | undefined;
  done: boolean;
}

/**
 * The spans windowed mode holds back, by request id. Bounded by the caller (`maxHeldSpans`); windows are applied
 * in order and every entry whose last window closed comes out.
 */
export class HeldSpans<S> {
  readonly #entries = new Map<string, HeldSpan<S>>();

  get size(): number {
    return this.#entries.size;
  }

  add(entry: HeldSpan<S>): void {
    this.#entries.set(entry.requestId, entry);
  }

  get(requestId: string): HeldSpan<S> | undefined {
    return this.#entries.get(requestId);
  }

  delete(requestId: string): void {
    this.#entries.delete(requestId);
  }

  /** Adds the closed windows' final parts; returns the entries that became final (in the order they were held). */
  apply(closes: readonly WindowClose[]): HeldSpan<S>[] {
    const done: HeldSpan<S>[] = [];
    if (this.#entries.size === 0) return done;
    for (const close of closes) {
      for (const part of close.requests) {
        const entry = this.#entries.get(part.requestId);
        if (entry !== undefined && !entry.done && part.nodeId === entry.node) entry.parts.push(part);
      }
      for (const entry of this.#entries.values()) {
        if (entry.done || entry.lastWindowStart > close.windowStart) continue;
        entry.done = true;
        entry.utilization = close.nodes.find((n) => n.nodeId === entry.node)?.utilization;
        done.push(entry);
      }
    }
    return done;
  }

  /** Every entry, emptied (shutdown). */
  drain(): HeldSpan<S>[] {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    return all;
  }
}
