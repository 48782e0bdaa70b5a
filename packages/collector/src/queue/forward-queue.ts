import { QueueRoom } from './queue-room.js';

/**
 * The queue between the receiver and one upstream forwarder: batches (encoded OTLP requests) wait here until
 * upstream confirms them. Two implementations: `PersistentQueue` (segment files under the data directory, the
 * default) and `MemoryQueue` (for operators who accept losing what is queued at a crash or restart).
 */
export interface QueueEntry {
  readonly id: number;
  readonly spans: number;
  readonly bytes: number;
  /** ms since the epoch when this process first held the entry (the retry deadline counts from here). */
  readonly firstSeen: number;
}

export interface QueueLimits {
  /** Bytes of encoded batches the queue may hold (queued, in flight and reserved). */
  maxBytes: number;
  /** Spans the queue may hold, the second limit. */
  maxSpans: number;
}

export interface ForwardQueue {
  /** True when the entries survive a crash or restart. */
  readonly persistent: boolean;
  /** Spans held: waiting, in flight and reserved. */
  readonly spans: number;
  /** Bytes held: waiting, in flight and reserved. */
  readonly bytes: number;
  /** Entries not yet confirmed (waiting or in flight). */
  readonly entries: number;
  /**
   * Checks the limits and reserves room in one step (synchronous, so concurrent requests cannot overshoot).
   * A batch bigger than the whole limit is admitted only into an empty queue.
   */
  tryReserve(bytes: number, spans: number): boolean;
  /** Gives a reservation back (the request failed before its batch was appended). */
  release(bytes: number, spans: number): void;
  /**
   * Turns a reservation into an entry; resolves once the entry is safe (for the persistent queue: written and,
   * with fsync on, synced). The entry's actual size replaces the reserved one.
   */
  append(body: Uint8Array, spans: number, reservedBytes: number): Promise<void>;
  /** The oldest entry that is not in flight, now marked in flight; undefined when none waits. */
  next(): QueueEntry | undefined;
  /** The body of an entry handed out by `next`. */
  read(entry: QueueEntry): Promise<Uint8Array>;
  /** Upstream confirmed the entry (or it was given up and counted): it is removed for good. */
  done(entry: QueueEntry): void;
  /** The entry failed and will be retried: it waits again, at the front. */
  putBack(entry: QueueEntry): void;
  /** Flushes and releases the queue's files; what is still held stays for the next start. */
  close(): Promise<void>;
}

/** Entries in memory only: what is held when the process ends is lost (counted as dropped at shutdown). */
export class MemoryQueue implements ForwardQueue {
  readonly persistent = false;
  private readonly ready: QueueEntry[] = [];
  private readonly bodies = new Map<number, Uint8Array>();
  private nextId = 1;
  private readonly room: QueueRoom;

  constructor(limits: QueueLimits) {
    this.room = new QueueRoom(limits);
  }

  get spans(): number {
    return this.room.spans;
  }
  get bytes(): number {
    return this.room.bytes;
  }
  get entries(): number {
    return this.bodies.size;
  }

  tryReserve(bytes: number, spans: number): boolean {
    return this.room.tryReserve(bytes, spans);
  }

  release(bytes: number, spans: number): void {
    this.room.release(bytes, spans);
  }

  append(body: Uint8Array, spans: number, reservedBytes: number): Promise<void> {
    this.release(reservedBytes, spans);
    const entry: QueueEntry = { id: this.nextId++, spans, bytes: body.byteLength, firstSeen: Date.now() };
    this.bodies.set(entry.id, body);
    this.room.hold(entry.bytes, spans);
    this.ready.push(entry);
    return Promise.resolve();
  }

  next(): QueueEntry | undefined {
    return this.ready.shift();
  }

  read(entry: QueueEntry): Promise<Uint8Array> {
    const body = this.bodies.get(entry.id);
    return body ? Promise.resolve(body) : Promise.reject(new Error(`queue entry ${entry.id} is gone`));
  }

  done(entry: QueueEntry): void {
    if (!this.bodies.delete(entry.id)) return;
    this.room.free(entry.bytes, entry.spans);
  }

  putBack(entry: QueueEntry): void {
    this.ready.unshift(entry);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
