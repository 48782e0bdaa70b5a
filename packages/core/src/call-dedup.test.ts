import { describe, expect, it } from 'vitest';
import { ResponseIdWindow } from './call-dedup.js';
import { OpenModelCalls } from './open-calls.js';

describe('ResponseIdWindow', () => {
  it('names the first span of a response id to later spans, never a span to itself', () => {
    const w = new ResponseIdWindow();
    expect(w.claimedBy('chatcmpl-1', 'a')).toBeUndefined();
    w.claim('chatcmpl-1', 'a');
    expect(w.claimedBy('chatcmpl-1', 'b')).toBe('a');
    expect(w.claimedBy('chatcmpl-1', 'a')).toBeUndefined();
    expect(w.claimedBy('chatcmpl-2', 'b')).toBeUndefined();
  });

  it('is bounded by size and age, counting what it drops', () => {
    let now = 0;
    let evicted = 0;
    const w = new ResponseIdWindow({ maxEntries: 2, maxAgeMs: 1000, now: () => now, onEvict: (n) => (evicted += n) });
    w.claim('r1', 'a');
    w.claim('r2', 'b');
    w.claim('r3', 'c');
    expect([w.size, evicted]).toEqual([2, 1]);
    expect(w.claimedBy('r1', 'x')).toBeUndefined();
    now = 2000;
    expect(w.claimedBy('r2', 'x')).toBeUndefined();
    expect(evicted).toBe(2);
  });
});

describe('OpenModelCalls', () => {
  it('points every open model call above a new one at the innermost, whatever ends first', () => {
    const open = new OpenModelCalls();
    open.start('outer', undefined);
    open.start('middle', 'outer');
    open.start('inner', 'middle');
    expect(open.end('outer')).toBe('inner');
    expect(open.end('inner')).toBeUndefined();
    expect(open.end('middle')).toBe('inner');
    expect(open.size).toBe(0);
  });

  it('does not link a model call under an unrelated or already ended parent', () => {
    const open = new OpenModelCalls();
    open.start('a', undefined);
    expect(open.end('a')).toBeUndefined();
    open.start('b', 'a');
    expect(open.end('b')).toBeUndefined();
    expect(open.end('never-started')).toBeUndefined();
  });
});
