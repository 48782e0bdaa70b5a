import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig, forwardConfig } from '../src/config.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { post, TestUpstream, waitFor } from './helpers.js';

function body(batch: number, spans: number): string {
  const list = Array.from({ length: spans }, (_, i) => ({
    traceId: `${batch.toString(16).padStart(16, '0')}${'1'.repeat(16)}`,
    spanId: `${batch.toString(16).padStart(8, '0')}${(i + 1).toString(16).padStart(8, '0')}`,
    name: `span ${batch}-${i}`,
    startTimeUnixNano: '1759320000000000000',
    endTimeUnixNano: '1759320000100000000',
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: list }] }] });
}

const json = { 'content-type': 'application/json' };

describe('upstream down, then back', () => {
  let collector: RunningCollector | undefined;
  let upstream: TestUpstream | undefined;
  afterEach(async () => {
    await collector?.close();
    await upstream?.stop();
  });

  it('delivers every accepted span exactly once and refuses with 503 + Retry-After past the queue', async () => {
    upstream = await new TestUpstream().start();
    const port = upstream.port;
    await upstream.stop(); // down: connection refused
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 },
      forward: [
        forwardConfig('otlphttp/backend', `http://127.0.0.1:${port}`, {
          protocol: 'http/json',
          queueSize: 50,
          retry: { initialIntervalMs: 50, maxIntervalMs: 200, maxElapsedMs: 0 },
        }),
      ],
    };
    collector = await startCollector(config, { log: () => {} });
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let batch = 1; batch <= 8; batch++) {
      const r = await post(`${collector.url}/v1/traces`, body(batch, 10), json);
      statuses.push(r.status);
      if (r.status === 503) retryAfter = String(r.headers['retry-after']);
    }
    // 50 spans of room: five batches of 10 are accepted, the rest refused (the sender keeps and retries them).
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    await waitFor(() => collector!.stats().retried > 0, 10_000, 'a retry');
    expect(collector.stats()).toMatchObject({ received: 50, refused: 30, queueDepth: 50, exported: 0 });

    const back = new TestUpstream();
    upstream = back;
    await back.start(port);
    await waitFor(() => collector!.stats().exported === 50, 15_000, 'delivery after recovery');
    const ids = back.spans().map((s) => s.spanId);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(collector.stats()).toMatchObject({ queueDepth: 0, dropped: 0 });

    // Room again: a refused batch sent anew is accepted and delivered once.
    expect((await post(`${collector.url}/v1/traces`, body(6, 10), json)).status).toBe(200);
    await waitFor(() => back.spans().length === 60, 10_000, 'the resent batch');
    expect(new Set(back.spans().map((s) => s.spanId)).size).toBe(60);
  });

  it('retries 503 answers honoring Retry-After and drops non-retryable ones with a count', async () => {
    upstream = await new TestUpstream().start();
    upstream.respond = (n) => (n === 1 ? { status: 503, retryAfter: '1' } : n === 3 ? { status: 400 } : undefined);
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 },
      forward: [
        forwardConfig('otlphttp/backend', upstream.url, {
          retry: { initialIntervalMs: 10, maxIntervalMs: 5_000, maxElapsedMs: 0 },
        }),
      ],
    };
    collector = await startCollector(config, { log: () => {} });
    const started = Date.now();
    expect((await post(`${collector.url}/v1/traces`, body(1, 3), json)).status).toBe(200);
    await waitFor(() => upstream!.spans().length === 3, 10_000, 'delivery after a 503');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await post(`${collector.url}/v1/traces`, body(2, 2), json)).status).toBe(200);
    await waitFor(() => collector!.stats().dropped === 2, 10_000, 'the dropped batch');
    expect(collector.stats()).toMatchObject({ exported: 3, retried: 3, dropped: 2 });
  });
});
