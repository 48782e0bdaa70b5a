import { HOURS_PER_MONTH, type RequestWindowPart } from '@costspan/allocation';
import { describe, expect, it } from 'vitest';
import { type ResourceWindow, SharedResources } from './shared-resources.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

function sum(windows: ResourceWindow[], pick: (w: ResourceWindow) => number): number {
  return windows.reduce((s, w) => s + pick(w), 0);
}

describe('shared resources', () => {
  it('a month is 730 hours: $73/month accrues $0.1/hour, exactly', () => {
    expect(HOURS_PER_MONTH).toBe(730);
    const r = new SharedResources(
      [
        {
          id: 'pod',
          component: 'retrieval',
          monthlyRate: 73,
          match: { 'db.system.name': 'qdrant' },
          window: 3_600_000,
        },
      ],
      { startTimeMs: T0 },
    );
    r.end(0, 'a', T0 + 1000, T0 + 2000, {});
    const windows = r.closeWindows(T0 + 3_600_000);
    expect(windows).toHaveLength(1);
    // $0.1 per hour = 100,000 micro-dollars.
    expect(windows[0]?.record.nodeCost).toBe(100_000);
  });

  it('splits by requests with an idle line, conserving every nano-dollar', () => {
    const r = new SharedResources(
      [
        {
          id: 'pod',
          component: 'retrieval',
          hourlyRate: 0.7,
          match: { 'db.system.name': 'qdrant' },
          method: 'requests',
        },
      ],
      { startTimeMs: T0 },
    );
    expect(r.match({ 'db.system.name': 'qdrant' })).toBe(0);
    expect(r.match({ 'db.system.name': 'pinecone' })).toBe(-1);
    // Three queries in the first minute.
    for (const [id, s] of [
      ['a', 1000],
      ['b', 5000],
      ['c', 30_000],
    ] as const)
      r.end(0, id, T0 + s, T0 + s + 100, {});
    const windows = r.closeWindows(T0 + 60_000);
    expect(windows).toHaveLength(1);
    const w = windows[0] as ResourceWindow;
    // $0.7/h for one minute = 11,666 µ$ (cumulative floor), busy 300 ms of 60 s.
    expect(w.record.nodeCost).toBe(11_666);
    const shares = w.parts.map((p) => p.total);
    expect(shares).toHaveLength(3);
    expect(w.record.direct + w.record.idle).toBe(w.record.nodeCost);
    expect(shares.reduce((s, x) => s + x, 0) + w.record.idleResidual).toBe(w.record.nodeCost);
    // Equal requests, equal shares (largest remainder: they differ by at most one micro-unit).
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });

  it('splits by a unit attribute, shared idle loaded onto the spans, overhead on top', () => {
    const r = new SharedResources(
      [
        {
          id: 'reranker',
          component: 'rerank',
          hourlyRate: 3.6,
          match: { 'rpc.service': 'rerank' },
          method: { unit: 'rerank.search_units' },
          idle: 'shared',
          overhead: { percent: 10 },
        },
      ],
      { startTimeMs: T0 },
    );
    const a = r.end(0, 'a', T0, T0 + 1000, { 'rerank.search_units': 1 });
    r.end(0, 'b', T0 + 2000, T0 + 3000, { 'rerank.search_units': 3 });
    expect(a?.cost).toMatchObject({ kind: 'resource', rule: 'reranker', component: 'rerank', units: 1, final: false });
    const [w] = r.closeWindows(T0 + 60_000) as [ResourceWindow];
    // $3.6/h × 60 s = $0.06 = 60,000 µ$; all of it carried by the two spans (idle shared), split 1:3, + 10 %.
    expect(w.record.nodeCost).toBe(60_000);
    const [pa, pb] = w.parts as [RequestWindowPart, RequestWindowPart];
    expect(pa.direct + pa.idleShare).toBe(15_000);
    expect(pb.direct + pb.idleShare).toBe(45_000);
    expect(w.record.overhead).toBe(6_000);
    expect(pa.total + pb.total).toBe(w.record.nodeCost + w.record.overhead);
    expect(w.record.method).toBe('units');
  });

  it('windows with no spans keep their idle line: the period sums to the bill', () => {
    const r = new SharedResources(
      [{ id: 'lb', component: 'gateway', monthlyRate: '18.25', match: { 'server.address': 'lb' } }],
      { startTimeMs: T0 },
    );
    r.end(0, 'a', T0 + 10, T0 + 20, {});
    r.end(0, 'b', T0 + 9 * 60_000, T0 + 9 * 60_000 + 5, {});
    const windows = r.closeAll();
    expect(windows).toHaveLength(10);
    // $18.25/month = $0.025/h: ten minutes = 4,166 µ$ (cumulative floor of 4166.67).
    const bill = sum(windows, (w) => w.record.nodeCost);
    expect(bill).toBe(4_166);
    expect(sum(windows, (w) => w.record.direct + w.record.idle)).toBe(bill);
    expect(windows.filter((w) => w.record.requests === 0).every((w) => w.record.idle === w.record.nodeCost)).toBe(true);
  });
});
