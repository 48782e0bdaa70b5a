// Benchmark: 100k requests with up to 1,000 in flight on one node, through the streaming GpuAllocator.
// Prints ns per start/end pair beside a baseline measured in the same run (a Map set + delete per pair),
// and heap growth (after GC; run with --expose-gc, as `npm run bench` does).
import { performance } from 'node:perf_hooks';
import { GpuAllocator } from '../dist/index.js';

const REQUESTS = 100_000;
const MAX_CONCURRENT = 1_000;
const GAP_MS = 2; // a start every 2 ms …
const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);

// … each lasting up to MAX_CONCURRENT × GAP_MS, so at most 1,000 are in flight. Fixed seed: same run every time.
let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const ids = [];
const events = [];
for (let i = 0; i < REQUESTS; i++) {
  const id = `req-${i}`;
  ids.push(id);
  const start = T0 + i * GAP_MS + random();
  const end = start + (0.5 + random() / 2) * MAX_CONCURRENT * GAP_MS;
  events.push({ t: start, id, start: true }, { t: end, id, start: false });
}
events.sort((a, b) => a.t - b.t || (a.start ? 1 : -1));

const gc = globalThis.gc ?? (() => {});
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

function runAllocator() {
  const allocator = new GpuAllocator({ nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }] }, { startTime: T0 });
  let inFlight = 0;
  let peak = 0;
  let checksum = 0;
  let closed = 0;
  let closeMs = 0;
  let ends = 0;
  const began = performance.now();
  for (const e of events) {
    if (e.start) {
      allocator.start(e.id, 'gpu-a', e.t);
      if (++inFlight > peak) peak = inFlight;
    } else {
      checksum += allocator.end(e.id, e.t).direct;
      inFlight--;
      if (++ends % 1_000 === 0) {
        // the door closes windows behind a watermark; timed apart from the per-request path
        const closeBegan = performance.now();
        closed += allocator.closeWindows(e.t - 5_000).length;
        closeMs += performance.now() - closeBegan;
      }
    }
  }
  const loopMs = performance.now() - began - closeMs;
  const heapOpen = heap();
  const closeBegan = performance.now();
  closed += allocator.closeAll().length;
  closeMs += performance.now() - closeBegan;
  return { allocator, loopMs, closeMs, peak, checksum, closed, heapOpen };
}

function runBaseline() {
  const map = new Map();
  let checksum = 0;
  const began = performance.now();
  for (const e of events) {
    if (e.start) map.set(e.id, e.t);
    else {
      checksum += e.t - map.get(e.id);
      map.delete(e.id);
    }
  }
  return { ms: performance.now() - began, checksum };
}

// warm up both paths once, then measure
runBaseline();
runAllocator();
const before = heap();
const baseline = runBaseline();
const result = runAllocator();
const after = heap();
const stats = result.allocator.stats();

const nsPerPair = (ms) => (ms * 1e6) / REQUESTS;
console.log(
  `requests: ${REQUESTS.toLocaleString('en-US')}, peak in flight: ${result.peak}, windows closed: ${result.closed}`,
);
console.log(`baseline Map set/delete:      ${nsPerPair(baseline.ms).toFixed(0)} ns per start/end pair`);
console.log(
  `GpuAllocator start/end:        ${nsPerPair(result.loopMs).toFixed(0)} ns per start/end pair ` +
    `(×${(result.loopMs / baseline.ms).toFixed(1)} the baseline)`,
);
console.log(
  `window closes (${result.closed} windows, final per-request allocation): ${result.closeMs.toFixed(0)} ms in all, ` +
    `${nsPerPair(result.closeMs).toFixed(0)} ns per request`,
);
console.log(
  `heap: before ${(before / 1e6).toFixed(1)} MB, with windows open ${(result.heapOpen / 1e6).toFixed(1)} MB, ` +
    `after close ${(after / 1e6).toFixed(1)} MB (growth ${((after - before) / 1e6).toFixed(2)} MB)` +
    (globalThis.gc ? '' : ' — run with --expose-gc for GC-settled numbers'),
);
console.log(
  `state after close: in flight ${stats.inFlight}, open windows ${stats.openWindows}, evicted ${stats.evicted}`,
);
