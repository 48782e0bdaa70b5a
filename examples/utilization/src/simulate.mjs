// The seed's worked example on a simulated clock: one GPU node at a fixed hourly rate serving a given number of
// requests in one hour. Deterministic (fixed seed, fixed request duration), so it runs in well under a second
// and prints the same numbers every time.
import { GpuAllocator } from '@costspan/allocation';

export const HOURLY_RATE = 3.6; // $/h: $0.06 a minute, 1 µ$ per ms
export const REQUEST_SECONDS = 2; // every request holds the node for 2 s (a fixed latency model)
export const SCENARIOS = [200, 1_200, 4_000]; // requests per hour
const HOUR_MS = 3_600_000;
const START = Date.UTC(2026, 2, 2, 12, 0, 0);

/** mulberry32: a tiny seeded PRNG, so arrivals are random-looking but identical on every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Simulates one hour at `perHour` requests, arriving uniformly at random, each lasting REQUEST_SECONDS, on one
 * node with shared idle (the fully-loaded view). Returns the hour's totals in micro-dollars.
 */
export function simulate(perHour, { seed = 7 } = {}) {
  const random = seeded(seed + perHour);
  const durationMs = REQUEST_SECONDS * 1000;
  const arrivals = Array.from({ length: perHour }, () => Math.floor(random() * (HOUR_MS - durationMs)));
  arrivals.sort((a, b) => a - b);
  const events = arrivals.flatMap((at, i) => [
    { t: START + at, id: `r${i}`, start: true },
    { t: START + at + durationMs, id: `r${i}`, start: false },
  ]);
  events.sort((a, b) => a.t - b.t || (a.start ? 1 : -1));

  const allocator = new GpuAllocator(
    // one window per simulated hour: the seed's formula, C(W) / requests(W), with W = the hour
    { nodes: [{ id: 'gpu-a', hourlyRate: HOURLY_RATE }], window: HOUR_MS, idle: 'shared' },
    { startTime: START },
  );
  for (const e of events) {
    if (e.start) allocator.start(e.id, 'gpu-a', e.t);
    else allocator.end(e.id, e.t);
  }
  const closes = allocator.closeWindows(START + HOUR_MS);
  const sum = (items, pick) => items.reduce((total, item) => total + pick(item), 0);
  const records = closes.flatMap((c) => c.nodes);
  const parts = closes.flatMap((c) => c.requests);
  return {
    perHour,
    windows: closes.length,
    nodeCost: sum(records, (r) => r.nodeCost),
    direct: sum(records, (r) => r.direct),
    idle: sum(records, (r) => r.idle),
    busyMs: sum(records, (r) => r.busyMs),
    requestTotal: sum(parts, (p) => p.total),
    requestDirect: sum(parts, (p) => p.direct),
  };
}

const usd = (micros, digits = 6) => `$${(micros / 1e6).toFixed(digits)}`;

/** The printed table: one line per scenario, every figure checkable from the rate and the counts. */
export function report(results) {
  const lines = [
    `One GPU node at $${HOURLY_RATE.toFixed(2)}/h for one simulated hour; every request lasts ${REQUEST_SECONDS} s.`,
    'Allocation window: the hour. Idle is shared, so the requests carry the whole node:',
    'fully-loaded cost per request = node cost / requests.',
    '',
    'requests/hour  utilization  idle share  direct/request  fully-loaded/request  node cost',
  ];
  for (const r of results) {
    lines.push(
      [
        String(r.perHour).padStart(13),
        `${((r.busyMs / HOUR_MS) * 100).toFixed(1)} %`.padStart(11),
        `${((r.idle / r.nodeCost) * 100).toFixed(1)} %`.padStart(10),
        usd(r.requestDirect / r.perHour).padStart(14),
        usd(r.requestTotal / r.perHour).padStart(20),
        usd(r.nodeCost, 2).padStart(9),
      ].join('  '),
    );
  }
  lines.push(
    '',
    `Check by hand: $${HOURLY_RATE.toFixed(2)} / 200 = $0.018, / 1,200 = $0.003, / 4,000 = $0.0009 per request.`,
    `Direct cost alone is ${REQUEST_SECONDS} s × $0.001/s = $0.002 while requests rarely overlap, and less once they share the node.`,
  );
  return lines.join('\n');
}
