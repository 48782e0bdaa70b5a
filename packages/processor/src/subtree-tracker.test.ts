import { describe, expect, it } from 'vitest';
import { SubtreeCostTracker } from './subtree-tracker.js';

describe('SubtreeCostTracker', () => {
  it('accumulates what children carry and hands it to the parent once', () => {
    const t = new SubtreeCostTracker();
    t.carry('p', 100, 1);
    t.carry('p', 50, 1);
    expect(t.take('p')).toMatchObject({ nanos: 150, calls: 2 });
    expect(t.take('p')).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('drops entries past the cap, oldest first, and counts them', () => {
    const dropped: number[] = [];
    const t = new SubtreeCostTracker({ maxEntries: 3, onEvict: (n) => dropped.push(n) });
    for (const id of ['a', 'b', 'c', 'd', 'e']) t.carry(id, 1, 1);
    expect(t.size).toBe(3);
    expect(t.evicted).toBe(2);
    expect(dropped).toEqual([1, 1]);
    expect(t.take('a')).toBeUndefined();
    expect(t.take('e')).toBeDefined();
  });

  it('drops entries whose ancestor never ended within the age limit', () => {
    let now = 0;
    const t = new SubtreeCostTracker({ maxAgeMs: 1000, now: () => now });
    t.carry('never-ends', 10, 1);
    now = 700;
    t.carry('young', 10, 1);
    now = 1600;
    t.carry('new', 10, 1);
    expect(t.take('never-ends')).toBeUndefined();
    expect(t.take('young')).toBeDefined();
    expect(t.evicted).toBe(1);
  });
});
