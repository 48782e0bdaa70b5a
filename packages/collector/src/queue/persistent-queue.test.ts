import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from './crc32.js';
import { PersistentQueue } from './persistent-queue.js';

const LIMITS = { maxBytes: 1 << 20, maxSpans: 1_000 };

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'costspan-queue-'));
}

async function put(queue: PersistentQueue, text: string, spans = 1): Promise<void> {
  const body = Buffer.from(text);
  expect(queue.tryReserve(body.length, spans)).toBe(true);
  await queue.append(body, spans, body.length);
}

async function drainAll(queue: PersistentQueue): Promise<string[]> {
  const out: string[] = [];
  for (let entry = queue.next(); entry; entry = queue.next()) {
    out.push(Buffer.from(await queue.read(entry)).toString());
    queue.done(entry);
  }
  return out;
}

describe('persistent queue', () => {
  it('replays unconfirmed batches in order after a restart and forgets confirmed ones', async () => {
    const d = dir();
    const q1 = await PersistentQueue.open({ dir: d, ...LIMITS });
    for (const text of ['a', 'b', 'c', 'd']) await put(q1, text, 2);
    const first = q1.next()!;
    const second = q1.next()!;
    q1.done(second); // confirmed out of order
    q1.putBack(first); // failed, retried later
    expect(q1.spans).toBe(6);
    await q1.close();

    const q2 = await PersistentQueue.open({ dir: d, ...LIMITS });
    expect(q2.spans).toBe(6);
    expect(await drainAll(q2)).toEqual(['a', 'c', 'd']);
    expect(q2.spans).toBe(0);
    await q2.close();
    const q3 = await PersistentQueue.open({ dir: d, ...LIMITS });
    expect(q3.entries).toBe(0);
    await q3.close();
    expect(readdirSync(d).filter((f) => f.endsWith('.seg'))).toEqual([]);
  });

  it('detects a torn tail (kill -9 mid-write) by length and CRC and truncates it', async () => {
    const d = dir();
    const q1 = await PersistentQueue.open({ dir: d, ...LIMITS });
    await put(q1, 'first');
    await put(q1, 'second');
    await q1.close();
    // What kill -9 in the middle of an append leaves: a record header promising more bytes than were written.
    const seg = readdirSync(d).find((f) => f.endsWith('.seg'))!;
    const path = join(d, seg);
    const good = statSync(path).size;
    appendFileSync(path, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7]));
    const logs: string[] = [];
    const q2 = await PersistentQueue.open({ dir: d, ...LIMITS, log: (m) => logs.push(m) });
    expect(await drainAll(q2)).toEqual(['first', 'second']);
    expect(statSync(path).size).toBe(good);
    expect(logs.join('\n')).toMatch(/torn write.*truncated/);
    await q2.close();
  });

  it('stops at a record whose CRC does not match', async () => {
    const d = dir();
    const q1 = await PersistentQueue.open({ dir: d, ...LIMITS });
    await put(q1, 'keep');
    await put(q1, 'flip');
    await q1.close();
    const path = join(d, readdirSync(d).find((f) => f.endsWith('.seg'))!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    const q2 = await PersistentQueue.open({ dir: d, ...LIMITS, log: () => {} });
    expect(await drainAll(q2)).toEqual(['keep']);
    await q2.close();
  });

  it('bounds bytes and spans, reserving atomically; an oversized batch fits only an empty queue', async () => {
    const q = await PersistentQueue.open({ dir: dir(), maxBytes: 100, maxSpans: 10 });
    expect(q.tryReserve(60, 5)).toBe(true);
    expect(q.tryReserve(60, 1)).toBe(false); // bytes
    expect(q.tryReserve(10, 6)).toBe(false); // spans
    expect(q.tryReserve(40, 5)).toBe(true);
    q.release(40, 5);
    q.release(60, 5);
    expect(q.tryReserve(500, 1)).toBe(true); // empty: admitted alone
    q.release(500, 1);
    await q.close();
  });

  it('rotates segments and deletes a segment once all its entries are confirmed', async () => {
    const d = dir();
    const q = await PersistentQueue.open({ dir: d, ...LIMITS, segmentBytes: 64 });
    for (let i = 0; i < 6; i++) await put(q, `batch-${i}-${'x'.repeat(40)}`);
    expect(readdirSync(d).filter((f) => f.endsWith('.seg')).length).toBeGreaterThan(3);
    expect((await drainAll(q)).length).toBe(6);
    await q.close();
    expect(readdirSync(d).filter((f) => f.endsWith('.seg') || f.endsWith('.ack'))).toEqual([]);
  });

  it('refuses a directory another live collector holds', async () => {
    const d = dir();
    const q = await PersistentQueue.open({ dir: d, ...LIMITS });
    await expect(PersistentQueue.open({ dir: d, ...LIMITS })).rejects.toThrow(/in use/);
    await q.close();
    writeFileSync(join(d, 'lock'), '999999999\n'); // a process that is gone
    const again = await PersistentQueue.open({ dir: d, ...LIMITS });
    await again.close();
  });

  it('computes the same CRC-32 as zlib', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32Portable(data)).toBe(0x414fa339);
  });
});
