/**
 * Fault injection against the collector, loopback only and bounded in time. In every case the spans answered
 * 200 are exactly the spans delivered upstream (after the restart where there is one) and exactly the spans in
 * the store; the collector survives every fault but kill -9. Each case prints its counts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CollectorConfig,
  costStages,
  DuckDbStore,
  defaultCollectorConfig,
  forwardConfig,
  startCollector,
} from '@costspan/collector';
import { afterAll, describe, expect, it } from 'vitest';
import {
  finalCounts,
  RecordingUpstream,
  sameSet,
  sendLoad,
  startCollectorProcess,
  storedSpanIds,
  waitUntil,
} from './fault-kit.js';

const upstreams: RecordingUpstream[] = [];
afterAll(async () => {
  for (const u of upstreams) await u.stop();
});

function workdir(): { store: string; data: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-faults-'));
  return { dir, store: join(dir, 'costspan.duckdb'), data: join(dir, 'data') };
}

async function upstream(port = 0): Promise<RecordingUpstream> {
  const u = await new RecordingUpstream().start(port);
  upstreams.push(u);
  return u;
}

function report(name: string, counts: Record<string, number | string>): void {
  console.log(
    `[faults] ${name}: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

function processArgs(w: { store: string; data: string }, up: RecordingUpstream, extra: string[] = []): string[] {
  return ['--forward', up.url, '--forward-protocol', 'http/json', '--store', w.store, '--data-dir', w.data, ...extra];
}

describe('collector under faults', () => {
  it('SIGTERM mid-load with store and forward: every acknowledged span is delivered and stored', async () => {
    const w = workdir();
    const up = await upstream();
    up.delayMs = 5;
    const collector = await startCollectorProcess(processArgs(w, up, ['--shutdown-timeout', '20s']));
    let stopped = false;
    const acked = new Set<string>();
    const load = sendLoad(() => collector.url, {
      first: 1,
      count: 400,
      spans: 20,
      senders: 8,
      acked,
      stop: () => stopped,
    });
    await waitUntil(() => acked.size >= 1_000, 30_000, 'load under way');
    collector.child.kill('SIGTERM');
    const exit = await collector.exit;
    stopped = true;
    const result = await load;
    const final = finalCounts(collector.stderr());
    const stored = await storedSpanIds(w.store);
    report('SIGTERM mid-load', {
      acked: acked.size,
      'unacked batches': result.unacked.length,
      delivered: up.spanIds.size,
      stored: stored.size,
      'final line': `delivered ${final.delivered} persisted ${final.persisted} dropped ${final.dropped}`,
    });
    expect(exit.code).toBe(0);
    expect(acked.size).toBeGreaterThanOrEqual(1_000);
    expect(sameSet(up.spanIds, acked)).toBe(true);
    expect(sameSet(stored, acked)).toBe(true);
    expect(final).toEqual({ delivered: acked.size, persisted: 0, dropped: 0 });
  });

  it('kill -9 mid-load, restart: what was acknowledged is delivered and stored, retries complete the rest', async () => {
    const w = workdir();
    const up = await upstream();
    up.delayMs = 5;
    let collector = await startCollectorProcess(processArgs(w, up));
    const acked = new Set<string>();
    const load = sendLoad(() => collector.url, { first: 1, count: 100, spans: 20, senders: 8, acked });
    await waitUntil(() => acked.size >= 400, 30_000, 'load under way');
    collector.child.kill('SIGKILL');
    const killed = await collector.exit;
    const ackedAtKill = acked.size;
    collector = await startCollectorProcess(processArgs(w, up, ['--shutdown-timeout', '20s']));
    await load; // senders retry what was not answered, against the restarted collector
    await waitUntil(() => up.spanIds.size >= acked.size, 30_000, 'delivery after the restart');
    collector.child.kill('SIGTERM');
    const exit = await collector.exit;
    const stored = await storedSpanIds(w.store);
    report('kill -9 mid-load', {
      'acked before kill': ackedAtKill,
      acked: acked.size,
      delivered: up.spanIds.size,
      stored: stored.size,
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(exit.code).toBe(0);
    expect(acked.size).toBe(100 * 20);
    expect(sameSet(up.spanIds, acked)).toBe(true);
    expect(sameSet(stored, acked)).toBe(true);
  });

  it('upstream down across a restart: the queue persists and is delivered by the next run', async () => {
    const w = workdir();
    const probe = await new RecordingUpstream().start();
    const port = probe.port;
    await probe.stop(); // down: connection refused
    let collector = await startCollectorProcess(processArgs(w, probe, ['--shutdown-timeout', '300ms']));
    const first = await sendLoad(() => collector.url, { first: 1, count: 30, spans: 10, senders: 4 });
    collector.child.kill('SIGTERM');
    expect((await collector.exit).code).toBe(0);
    const firstRun = finalCounts(collector.stderr());
    const up = await upstream(port);
    collector = await startCollectorProcess(processArgs(w, up, ['--shutdown-timeout', '20s']));
    await waitUntil(() => up.spanIds.size >= first.acked.size, 30_000, 'delivery of the persisted queue');
    collector.child.kill('SIGTERM');
    const exit = await collector.exit;
    const secondRun = finalCounts(collector.stderr());
    const stored = await storedSpanIds(w.store);
    report('upstream down across a restart', {
      acked: first.acked.size,
      'persisted at first stop': firstRun.persisted,
      'delivered after restart': up.spanIds.size,
      stored: stored.size,
    });
    expect(first.acked.size).toBe(300);
    expect(firstRun).toEqual({ delivered: 0, persisted: 300, dropped: 0 });
    expect(exit.code).toBe(0);
    expect(secondRun).toEqual({ delivered: 300, persisted: 0, dropped: 0 });
    expect(sameSet(up.spanIds, first.acked)).toBe(true);
    expect(sameSet(stored, first.acked)).toBe(true);
  });

  it('store writes failing: 503 with Retry-After, the process lives, nothing acknowledged is lost', async () => {
    const w = workdir();
    const up = await upstream();
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 },
      store: { path: w.store },
      dataDir: w.data,
      telemetry: { prometheus: false },
    };
    config.forward = [forwardConfig('otlphttp/up', up.url, { protocol: 'http/json' })];
    const original = DuckDbStore.prototype.insertSpans;
    let calls = 0;
    let injected = 0;
    DuckDbStore.prototype.insertSpans = function (this: DuckDbStore, ...args: Parameters<typeof original>) {
      // Every third write fails, as on a disk that is full now and then.
      if (++calls % 3 === 0) {
        injected++;
        return Promise.reject(new Error('No space left on device (injected)'));
      }
      return original.apply(this, args);
    };
    const logs: string[] = [];
    try {
      const collector = await startCollector(config, { stages: costStages(config), log: (m) => logs.push(m) });
      const load = await sendLoad(() => collector.url, { first: 1, count: 80, spans: 10, senders: 8 });
      await waitUntil(() => up.spanIds.size >= load.acked.size, 20_000, 'delivery');
      await collector.close();
      const stored = await storedSpanIds(w.store);
      report('store writes failing', {
        acked: load.acked.size,
        'failed writes': injected,
        '503 answers': load.statuses.get(503) ?? 0,
        delivered: up.spanIds.size,
        stored: stored.size,
      });
      expect(injected).toBeGreaterThan(0);
      expect(load.statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(load.acked.size).toBe(800);
      expect(sameSet(up.spanIds, load.acked)).toBe(true);
      expect(sameSet(stored, load.acked)).toBe(true);
      expect(logs.join('\n')).toMatch(/store \(inference_spans\) failed/);
    } finally {
      DuckDbStore.prototype.insertSpans = original;
    }
  });

  it('upstream flapping (503s and resets): everything acknowledged arrives once the upstream settles', async () => {
    const w = workdir();
    const up = await upstream();
    const yaml = join(w.dir, 'collector.yaml');
    writeFileSync(
      yaml,
      [
        'exporters:',
        '  otlphttp/up:',
        `    endpoint: ${up.url}`,
        '    encoding: json',
        '    retry_on_failure: { initial_interval: 20ms, max_interval: 200ms, max_elapsed_time: 0 }',
        '  duckdb:',
        `    path: ${w.store}`,
        'extensions:',
        `  file_storage: { directory: ${w.data} }`,
      ].join('\n'),
    );
    const collector = await startCollectorProcess(['--config', yaml, '--shutdown-timeout', '20s']);
    const modes = ['down503', 'ok', 'reset', 'ok'] as const;
    let tick = 0;
    const flap = setInterval(() => {
      up.mode = modes[tick++ % modes.length]!;
    }, 100);
    const load = await sendLoad(() => collector.url, { first: 1, count: 80, spans: 10, senders: 8 });
    clearInterval(flap);
    up.mode = 'ok';
    await waitUntil(() => up.spanIds.size >= load.acked.size, 30_000, 'delivery after flapping');
    collector.child.kill('SIGTERM');
    const exit = await collector.exit;
    const final = finalCounts(collector.stderr());
    const stored = await storedSpanIds(w.store);
    report('upstream flapping', {
      acked: load.acked.size,
      'mode changes': tick,
      delivered: up.spanIds.size,
      stored: stored.size,
      dropped: final.dropped,
    });
    expect(exit.code).toBe(0);
    expect(load.acked.size).toBe(800);
    expect(sameSet(up.spanIds, load.acked)).toBe(true);
    expect(sameSet(stored, load.acked)).toBe(true);
    expect(final.dropped).toBe(0);
  });

  it('64 concurrent senders against the byte limits: admission never overshoots', async () => {
    const w = workdir();
    const up = await upstream();
    up.holding = true; // a stalled backend: the queue can only fill
    const queueBytes = 1 << 20;
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20, maxInFlightBytes: 2 << 20 },
      store: { path: w.store },
      dataDir: w.data,
      telemetry: { prometheus: false },
      forward: [forwardConfig('otlphttp/up', up.url, { protocol: 'http/json', queueBytes, queueSize: 1_000_000 })],
    };
    const collector = await startCollector(config, { stages: costStages(config), log: () => {} });
    let maxQueueBytes = 0;
    const sample = setInterval(() => {
      maxQueueBytes = Math.max(maxQueueBytes, collector.stats().queueBytes);
    }, 2);
    // ~45 KiB batches: 128 of them are 5.7 MiB, far past the 1 MiB queue, so senders are refused until the
    // backend resumes and the queue drains.
    const statuses = new Map<number, number>();
    const running = sendLoad(() => collector.url, {
      first: 1,
      count: 128,
      spans: 20,
      senders: 64,
      padding: 1_800,
      statuses,
    });
    await waitUntil(() => (statuses.get(503) ?? 0) >= 64, 30_000, 'the queue to fill and refuse');
    up.release();
    const load = await running;
    await waitUntil(() => up.spanIds.size >= load.acked.size, 30_000, 'delivery');
    clearInterval(sample);
    await collector.close();
    const stored = await storedSpanIds(w.store);
    report('64 concurrent senders', {
      acked: load.acked.size,
      '503 answers': load.statuses.get(503) ?? 0,
      'max queue bytes': maxQueueBytes,
      'queue limit': queueBytes,
      delivered: up.spanIds.size,
      stored: stored.size,
    });
    expect(load.statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(maxQueueBytes).toBeLessThanOrEqual(queueBytes);
    expect(load.acked.size).toBe(128 * 20);
    expect(sameSet(up.spanIds, load.acked)).toBe(true);
    expect(sameSet(stored, load.acked)).toBe(true);
  });
});
