import { join } from 'node:path';
import { DuckDbStore } from '@costspan/collector';
import { describe, expect, it } from 'vitest';
import { runConsolidateCommand } from '../src/reporting/consolidate-command.js';
import { captureIo } from './helpers/capture-io.js';
import { writeRows } from './helpers/span-rows.js';
import { tempDir } from './helpers/store-fixture.js';

const at = (seconds: number) => new Date(Date.parse('2026-11-02T10:00:00Z') + seconds * 1000).toISOString();
// gpu-a: 0–10 s and 5–15 s, gpu-b: 20–30 s, gpu-c: 40–50 s; one unpriced call on another node is not replayed.
const timeline = [
  { start: at(0), durationMs: 10_000, costNanos: 1, node: 'gpu-a' },
  { start: at(5), durationMs: 10_000, costNanos: 1, node: 'gpu-a' },
  { start: at(20), durationMs: 10_000, costNanos: 1, node: 'gpu-b' },
  { start: at(40), durationMs: 10_000, costNanos: 1, node: 'gpu-c' },
  { start: at(41), durationMs: 10_000, costNanos: null, node: 'gpu-z' },
];
const gpu = {
  nodes: ['gpu-a', 'gpu-b', 'gpu-c'].map((id) => ({ id, hourlyRate: 3.6, match: { 'server.address': id } })),
  window: 60_000,
};

describe('costspan consolidate', () => {
  it('replays three nodes onto 1..3 and prices each with the allocation engine', async () => {
    const path = join(tempDir(), 'consolidate.duckdb');
    await writeRows(path, timeline);
    const io = captureIo();
    const code = await runConsolidateCommand(
      ['--store', path, '--nodes', 'gpu-a,gpu-b,gpu-c', '--config', 'costspan.yaml', '--format', 'json'],
      io,
      { loadGpu: () => gpu },
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.observedPeaks).toEqual({ 'gpu-a': 2, 'gpu-b': 1, 'gpu-c': 1 });
    expect(result.limit).toBe(2);
    expect(result.rates).toEqual([
      { node: 'gpu-a', hourlyRate: '3.6', source: 'config' },
      { node: 'gpu-b', hourlyRate: '3.6', source: 'config' },
      { node: 'gpu-c', hourlyRate: '3.6', source: 'config' },
    ]);
    expect(
      result.scenarios.map((s: Record<string, unknown>) => [
        s.scenario,
        s.nodeCost,
        s.busyCost,
        s.costPerRequest,
        s.idleShare,
        s.peakInFlight,
        s.queued,
      ]),
    ).toEqual([
      ['observed', '0.18', '0.035', '0.045', 0.805555, 2, 0],
      [1, '0.06', '0.035', '0.015', 0.416666, 2, 0],
      [2, '0.12', '0.035', '0.03', 0.708333, 2, 0],
      [3, '0.18', '0.035', '0.045', 0.805555, 2, 0],
    ]);

    // gpu-a and gpu-b only (gpu-c's request is not theirs), one request each: on one node the 5 s request waits 5 s.
    const limited = captureIo();
    const args = ['--store', path, '--nodes', 'gpu-a,gpu-b', '--max-concurrency', '1', '--config', 'c.yaml'];
    expect(await runConsolidateCommand([...args, '--format', 'json'], limited, { loadGpu: () => gpu })).toBe(0);
    const one = JSON.parse(limited.out()).scenarios[1];
    expect(one).toMatchObject({ scenario: 1, busyCost: '0.03', queued: 1, maxWaitMs: 5000, peakInFlight: 1 });
    const table = captureIo();
    expect(await runConsolidateCommand(args, table, { loadGpu: () => gpu })).toBe(0);
    expect(table.out()).toContain('consolidate gpu-a, gpu-b (gpu-a $3.6/h, gpu-b $3.6/h; limit 1 in flight per node)');
    expect(table.out()).toMatch(/\n1 +3 +50\.0% +\$0\.0600 +\$0\.0200 +50\.0% +1 +1 +1 +1 \(max 5000 ms\)/);
  });

  it('measures hourly rates from gpu_node_windows without --config, and says when it cannot', async () => {
    const path = join(tempDir(), 'measured.duckdb');
    await writeRows(path, timeline);
    const missing = captureIo();
    expect(await runConsolidateCommand(['--store', path, '--nodes', 'gpu-a,gpu-b'], missing)).toBe(1);
    expect(missing.err()).toBe(
      'error: no node cost for gpu-a in gpu_node_windows; give its hourlyRate with --config\n',
    );
    const store = await DuckDbStore.open(path);
    const start = Date.parse('2026-11-02T10:00:00Z');
    await store.insertWindows(
      ['gpu-a', 'gpu-b'].map((node) => ({
        node,
        windowStart: start,
        windowEnd: start + 60_000,
        currency: 'USD',
        nodeCostNanos: 60_000_000,
        directCostNanos: 0,
        idleCostNanos: 60_000_000,
        idleSharedCostNanos: 0,
        overheadCostNanos: 0,
        busySeconds: 0,
        utilization: 0,
        requests: 0,
        method: 'time',
        idlePolicy: 'separate',
      })),
    );
    await store.close();
    const io = captureIo();
    expect(await runConsolidateCommand(['--store', path, '--nodes', 'gpu-a,gpu-b', '--format', 'json'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.rates).toEqual([
      { node: 'gpu-a', hourlyRate: '3.6', source: 'store' },
      { node: 'gpu-b', hourlyRate: '3.6', source: 'store' },
    ]);
    expect(result.scenarios[1]).toMatchObject({ scenario: 1, nodeCost: '0.06', costPerRequest: '0.02' });
  });
});
