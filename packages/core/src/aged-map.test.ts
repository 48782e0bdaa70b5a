import { describe, expect, it } from 'vitest';
import { AgedMap } from './aged-map.js';

function clocked(maxEntries: number, maxAgeMs: number) {
  let now = 0;
  const evicted: number[] = [];
  const drops: string[] = [];
  const map = new AgedMap<number>(
    { maxEntries, maxAgeMs, onEvict: (n) => evicted.push(n), now: () => now },
    1_000,
    (key) => drops.push(key),
  );
  return { map, evicted, drops, tick: (ms: number) => (now += ms) };
}

describe('AgedMap', () => {
  it('drops the oldest entries past the size bound, counting them, in insertion order', () => {
    const { map, evicted, drops } = clocked(3, 1_000);
    for (const key of ['a', 'b', 'c', 'd', 'e']) map.set(key, key.charCodeAt(0));
    expect(map.size).toBe(3);
    expect(drops).toEqual(['a', 'b']);
    expect(evicted).toEqual([1, 1]);
    expect(map.peek('c')).toBe(99);
    expect(map.has('a')).toBe(false);
  });

  it('drops entries older than the age bound on read and before an insert', () => {
    const { map, evicted, drops, tick } = clocked(100, 1_000);
    map.set('old', 1);
    tick(600);
    map.set('young', 2);
    tick(500);
    expect(map.get('old')).toBeUndefined();
    expect(map.peek('young')).toBe(2);
    expect(drops).toEqual(['old']);
    tick(600);
    map.set('new', 3);
    expect(drops).toEqual(['old', 'young']);
    expect(evicted).toEqual([1, 1]);
    expect(map.size).toBe(1);
  });

  it('does not count deletes or replacements as drops, and a replaced key ages from its new insert', () => {
    const { map, evicted, drops, tick } = clocked(2, 1_000);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.delete('a')).toBe(1);
    map.set('c', 3);
    tick(900);
    map.set('b', 20);
    tick(200);
    map.set('d', 4);
    expect(drops).toEqual(['c']);
    expect(evicted).toEqual([1]);
    expect(map.peek('b')).toBe(20);
    expect(map.peek('d')).toBe(4);
  });

  it('keeps its order queue bounded when a long-lived entry sits at the head while others come and go', () => {
    const { map, drops } = clocked(10, 1_000_000);
    map.set('pinned', 0);
    for (let i = 0; i < 50_000; i++) {
      map.set(`k${i}`, i);
      map.delete(`k${i}`);
    }
    for (let i = 0; i < 9; i++) map.set(`live${i}`, i);
    expect(map.size).toBe(10);
    map.set('one-more', 1);
    expect(drops).toEqual(['pinned']);
    expect(map.peek('live0')).toBe(0);
  });

  it('finds, ages and deletes every kept entry after its queue was cut many times', () => {
    const { map, drops, tick } = clocked(100, 1_000);
    for (let i = 0; i < 5_000; i++) map.set(`k${i}`, i);
    expect(map.size).toBe(100);
    expect(drops.length).toBe(4_900);
    expect(map.peek('k4899')).toBeUndefined();
    for (let i = 4_900; i < 5_000; i++) expect(map.peek(`k${i}`)).toBe(i);
    expect(map.delete('k4950')).toBe(4950);
    expect(map.has('k4950')).toBe(false);
    map.set('k4960', -1);
    expect(map.peek('k4960')).toBe(-1);
    const seen: number[] = [];
    map.forEachValue((v) => seen.push(v));
    expect(seen.length).toBe(99);
    expect(seen[seen.length - 1]).toBe(-1);
    tick(1_001);
    expect(map.get('k4999')).toBeUndefined();
  });
});
