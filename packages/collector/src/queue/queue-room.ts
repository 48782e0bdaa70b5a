import type { QueueLimits } from './forward-queue.js';

/**
 * The room a forward queue accounts for, in spans and bytes: entries it holds (waiting or in flight) plus
 * reservations of requests whose batch is not appended yet. Both queue implementations keep their counts here,
 * so admission is checked and reserved by one rule.
 */
export class QueueRoom {
  private heldSpans = 0;
  private heldBytes = 0;
  private reservedSpans = 0;
  private reservedBytes = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Spans held and reserved. */
  get spans(): number {
    return this.heldSpans + this.reservedSpans;
  }

  /** Bytes held and reserved. */
  get bytes(): number {
    return this.heldBytes + this.reservedBytes;
  }

  /**
   * Reserves room for a batch if it fits beside what is held and reserved, in one synchronous step (concurrent
   * requests cannot overshoot). A batch bigger than the whole limit fits only an empty queue.
   */
  tryReserve(bytes: number, spans: number): boolean {
    const empty = this.spans === 0 && this.bytes === 0;
    if (!empty && (this.spans + spans > this.limits.maxSpans || this.bytes + bytes > this.limits.maxBytes)) {
      return false;
    }
    this.reservedBytes += bytes;
    this.reservedSpans += spans;
    return true;
  }

  /** Gives a reservation back. */
  release(bytes: number, spans: number): void {
    this.reservedBytes -= bytes;
    this.reservedSpans -= spans;
  }

  /** Counts an entry as held (appended, or replayed from disk). */
  hold(bytes: number, spans: number): void {
    this.heldBytes += bytes;
    this.heldSpans += spans;
  }

  /** An entry left the queue for good. */
  free(bytes: number, spans: number): void {
    this.heldBytes -= bytes;
    this.heldSpans -= spans;
  }
}
