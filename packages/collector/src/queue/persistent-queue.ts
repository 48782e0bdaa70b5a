import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { type FileHandle, open, readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import type { ForwardQueue, QueueEntry, QueueLimits } from './forward-queue.js';
import { QueueRoom } from './queue-room.js';

/**
 * On-disk format (little-endian), one directory per forwarder:
 *
 * - `NNNNNNNNNNNNNNNN.seg` (16-digit sequence): records `u32 length | u32 crc32(payload) | payload`, where payload
 *   is `u64 entry id | u32 spans | encoded OTLP request`. Appended only; a new segment starts past
 *   `segmentBytes` and at every start.
 * - `NNNNNNNNNNNNNNNN.ack`: the ids upstream confirmed, `u32 crc32(id) | u64 id` per record.
 * - `lock`: the pid of the process using the directory.
 *
 * A segment and its ack file are deleted once every entry of the segment is confirmed. On start every segment
 * is read: a record whose length runs past the end of the file or whose CRC does not match ends the segment's
 * good part, and the file is truncated there (a torn tail after kill -9 or power loss); ack records are read the
 * same way. Entries without an ack are queued again, oldest first.
 *
 * fsync policy: with `fsync` on (the default) an append resolves only after the segment is fsynced, so an
 * acknowledged batch survives power loss; concurrent appends share one fsync (group commit). Ack records are
 * written but not fsynced: after a power loss (not a process crash) a batch confirmed just before it may be sent
 * once more (at-least-once, as the OpenTelemetry Collector's persistent queue).
 */
export interface PersistentQueueOptions extends QueueLimits {
  dir: string;
  /** Start a new segment once the current one is this big. Default 8 MiB. */
  segmentBytes?: number;
  /** fsync segments before an append resolves. Default true. */
  fsync?: boolean;
  /** Where recovery messages go (torn tails truncated). */
  log?: (message: string) => void;
}

interface Segment {
  seq: number;
  handle: FileHandle;
  size: number;
  /** Entries of this segment not confirmed yet. */
  live: number;
  /** Entries written into it (for the current segment: grows). */
  total: number;
  ackHandle: FileHandle | undefined;
  ackChain: Promise<unknown>;
  current: boolean;
}

interface DiskEntry extends QueueEntry {
  segment: Segment;
  /** Offset of the body in the segment file. */
  offset: number;
}

const RECORD_HEADER = 8;
const PAYLOAD_HEADER = 12;
const ACK_RECORD = 12;
const SEG = /^(\d{16})\.seg$/;
const locked = new Set<string>();

export class PersistentQueue implements ForwardQueue {
  readonly persistent = true;
  private readonly ready: DiskEntry[] = [];
  private readonly live = new Map<number, DiskEntry>();
  private readonly segments = new Map<number, Segment>();
  private current!: Segment;
  private nextId = 1;
  private nextSeq = 1;
  private readonly room: QueueRoom;
  private writeChain: Promise<unknown> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private syncAgain: Promise<void> | undefined;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly fsync: boolean;

  private constructor(private readonly options: PersistentQueueOptions) {
    this.segmentBytes = options.segmentBytes ?? 8 << 20;
    this.fsync = options.fsync ?? true;
    this.room = new QueueRoom(options);
  }

  /** Opens (creating) the directory, takes its lock and replays what a previous run left. */
  static async open(options: PersistentQueueOptions): Promise<PersistentQueue> {
    const queue = new PersistentQueue(options);
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    lockDir(options.dir);
    try {
      await queue.replay();
      queue.current = await queue.newSegment();
    } catch (error) {
      unlockDir(options.dir);
      throw error;
    }
    return queue;
  }

  get spans(): number {
    return this.room.spans;
  }
  get bytes(): number {
    return this.room.bytes;
  }
  get entries(): number {
    return this.live.size;
  }

  tryReserve(bytes: number, spans: number): boolean {
    return !this.closed && this.room.tryReserve(bytes, spans);
  }

  release(bytes: number, spans: number): void {
    this.room.release(bytes, spans);
  }

  async append(body: Uint8Array, spans: number, reservedBytes: number): Promise<void> {
    if (this.closed) {
      this.release(reservedBytes, spans);
      throw new Error('the queue is closed');
    }
    const id = this.nextId++;
    const record = Buffer.allocUnsafe(RECORD_HEADER + PAYLOAD_HEADER + body.byteLength);
    record.writeBigUInt64LE(BigInt(id), RECORD_HEADER);
    record.writeUInt32LE(spans, RECORD_HEADER + 8);
    record.set(body, RECORD_HEADER + PAYLOAD_HEADER);
    const payload = record.subarray(RECORD_HEADER);
    record.writeUInt32LE(payload.length, 0);
    record.writeUInt32LE(crc32(payload), 4);
    let entry: DiskEntry | undefined;
    let reserved = true;
    const giveBackReservation = () => {
      if (!reserved) return;
      reserved = false;
      this.release(reservedBytes, spans);
    };
    try {
      const written = this.writeChain.then(async () => {
        if (this.current.size >= this.segmentBytes) await this.rotate();
        const segment = this.current;
        const offset = segment.size;
        await segment.handle.write(record, 0, record.length, offset);
        segment.size += record.length;
        segment.total++;
        segment.live++;
        entry = {
          id,
          spans,
          bytes: body.byteLength,
          firstSeen: Date.now(),
          segment,
          offset: offset + RECORD_HEADER + PAYLOAD_HEADER,
        };
        this.live.set(id, entry);
        // The entry's actual size replaces the reservation in the same step.
        giveBackReservation();
        this.room.hold(entry.bytes, spans);
      });
      this.writeChain = written.catch(() => undefined);
      await written;
      await this.sync();
    } catch (error) {
      // Not acknowledged: the sender retries the batch, so this copy is given up rather than sent as well.
      if (entry) this.done(entry);
      throw error;
    } finally {
      giveBackReservation();
    }
    // Visible to the sender only once safe, so it is never confirmed upstream before it is on disk.
    if (entry) this.ready.push(entry);
  }

  next(): QueueEntry | undefined {
    return this.ready.shift();
  }

  async read(entry: QueueEntry): Promise<Uint8Array> {
    const e = this.live.get(entry.id);
    if (!e) throw new Error(`queue entry ${entry.id} is gone`);
    const body = Buffer.allocUnsafe(e.bytes);
    const { bytesRead } = await e.segment.handle.read(body, 0, e.bytes, e.offset);
    if (bytesRead !== e.bytes) throw new Error(`queue entry ${entry.id}: short read`);
    return body;
  }

  done(entry: QueueEntry): void {
    const e = this.live.get(entry.id);
    if (!e) return;
    this.live.delete(entry.id);
    this.room.free(e.bytes, e.spans);
    const segment = e.segment;
    segment.live--;
    const ack = Buffer.allocUnsafe(ACK_RECORD);
    ack.writeBigUInt64LE(BigInt(e.id), 4);
    ack.writeUInt32LE(crc32(ack.subarray(4)), 0);
    segment.ackChain = segment.ackChain
      .then(async () => {
        if (segment.live === 0 && !segment.current) return; // the segment is about to go: no ack needed
        segment.ackHandle ??= await open(ackPath(this.options.dir, segment.seq), 'a');
        await segment.ackHandle.write(ack);
      })
      .catch((error) => this.options.log?.(`queue ${this.options.dir}: cannot record an ack: ${String(error)}`));
    if (segment.live === 0 && !segment.current) void this.remove(segment);
  }

  putBack(entry: QueueEntry): void {
    const e = this.live.get(entry.id);
    if (e) this.ready.unshift(e);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeChain;
    await this.sync().catch(() => undefined);
    for (const segment of [...this.segments.values()]) {
      await segment.ackChain;
      if (segment.live === 0) await this.remove(segment);
      else await closeSegment(segment);
    }
    unlockDir(this.options.dir);
  }

  private sync(): Promise<void> {
    if (!this.fsync) return Promise.resolve();
    if (!this.syncing) {
      const segment = this.current;
      this.syncing = segment.handle.sync().finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    // A sync is running; writes that finished after it started need the next one (group commit).
    this.syncAgain ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.syncAgain = undefined;
        return this.sync();
      });
    return this.syncAgain;
  }

  private async rotate(): Promise<void> {
    const old = this.current;
    if (this.fsync) await old.handle.sync();
    old.current = false;
    this.current = await this.newSegment();
    if (old.live === 0) await this.remove(old);
  }

  private async newSegment(): Promise<Segment> {
    const seq = this.nextSeq++;
    const handle = await open(segPath(this.options.dir, seq), 'w+', 0o600);
    const segment: Segment = {
      seq,
      handle,
      size: 0,
      live: 0,
      total: 0,
      ackHandle: undefined,
      ackChain: Promise.resolve(),
      current: true,
    };
    this.segments.set(seq, segment);
    return segment;
  }

  private async remove(segment: Segment): Promise<void> {
    if (!this.segments.delete(segment.seq)) return;
    await segment.ackChain;
    await closeSegment(segment);
    await unlink(segPath(this.options.dir, segment.seq)).catch(() => undefined);
    await unlink(ackPath(this.options.dir, segment.seq)).catch(() => undefined);
  }

  private async replay(): Promise<void> {
    const dir = this.options.dir;
    const seqs = readdirSync(dir)
      .map((name) => SEG.exec(name)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      const path = segPath(dir, seq);
      const data = await readFile(path);
      const acked = await readAcks(ackPath(dir, seq), this.options.log);
      const found: Array<{ id: number; spans: number; offset: number; bytes: number }> = [];
      let at = 0;
      while (at < data.length) {
        if (data.length - at < RECORD_HEADER + PAYLOAD_HEADER) break;
        const length = data.readUInt32LE(at);
        if (length < PAYLOAD_HEADER || at + RECORD_HEADER + length > data.length) break;
        const payload = data.subarray(at + RECORD_HEADER, at + RECORD_HEADER + length);
        if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
        const id = Number(payload.readBigUInt64LE(0));
        found.push({
          id,
          spans: payload.readUInt32LE(8),
          offset: at + RECORD_HEADER + PAYLOAD_HEADER,
          bytes: length - PAYLOAD_HEADER,
        });
        this.nextId = Math.max(this.nextId, id + 1);
        at += RECORD_HEADER + length;
      }
      if (at < data.length) {
        this.options.log?.(
          `queue ${dir}: ${path} ends in ${data.length - at} bytes that are not a whole record (torn write); truncated`,
        );
        await truncate(path, at);
      }
      const pending = found.filter((f) => !acked.has(f.id));
      if (pending.length === 0) {
        await unlink(path).catch(() => undefined);
        await unlink(ackPath(dir, seq)).catch(() => undefined);
        continue;
      }
      const segment: Segment = {
        seq,
        handle: await open(path, 'r'),
        size: at,
        live: pending.length,
        total: found.length,
        ackHandle: undefined,
        ackChain: Promise.resolve(),
        current: false,
      };
      this.segments.set(seq, segment);
      const now = Date.now();
      for (const f of pending) {
        const entry: DiskEntry = {
          id: f.id,
          spans: f.spans,
          bytes: f.bytes,
          firstSeen: now,
          segment,
          offset: f.offset,
        };
        this.live.set(f.id, entry);
        this.ready.push(entry);
        this.room.hold(f.bytes, f.spans);
      }
    }
  }
}

async function readAcks(path: string, log?: (message: string) => void): Promise<Set<number>> {
  const acked = new Set<number>();
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return acked;
  }
  let at = 0;
  for (; at + ACK_RECORD <= data.length; at += ACK_RECORD) {
    if (crc32(data.subarray(at + 4, at + ACK_RECORD)) !== data.readUInt32LE(at)) break;
    acked.add(Number(data.readBigUInt64LE(at + 4)));
  }
  if (at < data.length) {
    log?.(`queue: ${path} ends in ${data.length - at} bytes that are not a whole ack record; truncated`);
    await truncate(path, at);
  }
  return acked;
}

async function closeSegment(segment: Segment): Promise<void> {
  await segment.handle.close().catch(() => undefined);
  await segment.ackHandle?.close().catch(() => undefined);
  segment.ackHandle = undefined;
}

function segPath(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(16, '0')}.seg`);
}

function ackPath(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(16, '0')}.ack`);
}

/** Takes `dir/lock` for this process; a lock whose process is gone is taken over. */
function lockDir(dir: string): void {
  const path = join(dir, 'lock');
  if (locked.has(path)) throw new Error(`queue directory ${dir} is already in use by this process`);
  let owner: number | undefined;
  try {
    owner = Number(readFileSync(path, 'utf8').trim());
  } catch {
    owner = undefined;
  }
  if (owner !== undefined && Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
    throw new Error(`queue directory ${dir} is in use by process ${owner}: give each collector its own --data-dir`);
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  locked.add(path);
}

function unlockDir(dir: string): void {
  const path = join(dir, 'lock');
  if (!locked.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
