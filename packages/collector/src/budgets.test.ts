import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetWebhook } from './budget-webhook.js';
import { Budgets } from './budgets.js';
import { DuckDbStore } from './store/duckdb-store.js';
import type { InferenceSpanRow } from './store/rows.js';

const at = (iso: string) => Date.parse(iso);
let counter = 0;

function row(costNanos: number | null, tenant: string | null, feature: string | null, endMs: number): InferenceSpanRow {
  counter += 1;
  const end = BigInt(endMs) * 1_000_000n;
  return {
    traceId: counter.toString(16).padStart(32, '0'),
    spanId: counter.toString(16).padStart(16, '0'),
    parentSpanId: null,
    startTimeUnixNano: String(end - 1_000_000_000n),
    endTimeUnixNano: String(end),
    spanName: 'chat',
    serviceName: 'svc',
    operation: 'chat',
    provider: 'openai',
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o',
    feature,
    tenant,
    serviceTier: null,
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    inputAudioTokens: null,
    outputAudioTokens: null,
    webSearchRequests: null,
    pricingStatus: costNanos === null ? 'unpriced' : 'priced',
    pricingReason: costNanos === null ? 'unknown_model' : null,
    pricingProvider: null,
    pricingModel: null,
    pricingSource: null,
    pricingTier: null,
    costSource: 'local',
    currency: 'USD',
    costNanos,
    costInputNanos: null,
    costOutputNanos: null,
    costCacheReadNanos: null,
    costCacheWriteNanos: null,
    costRequestNanos: null,
    costGpuNanos: null,
    costIdleNanos: null,
    costOverheadNanos: null,
    gpuNode: null,
    gpuSeconds: null,
    gpuConcurrency: null,
    allocationMethod: null,
    allocationFinal: null,
  };
}

describe('Budgets', () => {
  let store: DuckDbStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('fires the soft threshold and the limit once each per window, then again in the next window', () => {
    let now = at('2026-03-10T10:30:00Z');
    const lines: string[] = [];
    const budgets = new Budgets(
      [{ name: 'acme-hourly', tenant: 'acme', window: 'hour', limitNanos: 1_000_000_000n, soft: 0.8 }],
      { now: () => now, log: (m) => lines.push(m) },
    );
    budgets.record([row(700_000_000, 'acme', 'chat', now)]);
    budgets.record([row(200_000_000, 'globex', 'chat', now)]);
    expect(lines).toEqual([]);
    budgets.record([row(100_000_000, 'acme', 'chat', now)]);
    expect(lines).toEqual([
      "budget 'acme-hourly' (tenant acme, hour from 2026-03-10T10:00:00.000Z): soft threshold 80% crossed: " +
        '$0.8 of $1 (80.0%), resets 2026-03-10T11:00:00.000Z',
    ]);
    budgets.record([row(50_000_000, 'acme', 'chat', now)]);
    expect(lines).toHaveLength(1);
    const retried = row(149_999_999, 'acme', 'chat', now);
    budgets.record([retried]);
    budgets.record([retried]); // the sender retried the batch: counted once
    expect(lines).toHaveLength(1);
    expect(budgets.check('acme')).toMatchObject({ allowed: true, spent: '0.999999999', remaining: '0.000000001' });
    budgets.record([row(1, 'acme', 'chat', now)]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('limit reached: $1 of $1 (100.0%)');
    budgets.record([row(500_000_000, 'acme', 'chat', now)]);
    expect(lines).toHaveLength(2);
    expect(budgets.check('acme')).toEqual({
      allowed: false,
      budget: 'acme-hourly',
      spent: '1.5',
      limit: '1',
      remaining: '0',
      resetsAt: '2026-03-10T11:00:00.000Z',
      budgets: [
        {
          budget: 'acme-hourly',
          tenant: 'acme',
          window: 'hour',
          allowed: false,
          spent: '1.5',
          limit: '1',
          remaining: '0',
          utilization: 1.5,
          resetsAt: '2026-03-10T11:00:00.000Z',
        },
      ],
    });
    // Next hour: the budget is open again and one jump past the limit fires only the limit line.
    now = at('2026-03-10T11:00:05Z');
    expect(budgets.check('acme').allowed).toBe(true);
    budgets.record([row(2_000_000_000, 'acme', 'chat', now)]);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('(tenant acme, hour from 2026-03-10T11:00:00.000Z): limit reached: $2 of $1');
  });

  it('answers with the binding budget among those that apply', () => {
    const now = at('2026-03-10T10:30:00Z');
    const budgets = new Budgets(
      [
        { name: 'all-monthly', window: 'month', limitNanos: 100_000_000_000n },
        { name: 'acme-daily', tenant: 'acme', window: 'day', limitNanos: 2_000_000_000n },
        { name: 'acme-chat', tenant: 'acme', feature: 'chat', window: 'hour', limitNanos: 5_000_000_000n },
        { name: 'search', feature: 'search', window: 'day', limitNanos: 1_000_000_000n },
      ],
      { now: () => now, log: () => {} },
    );
    budgets.record([row(1_500_000_000, 'acme', 'chat', now), row(900_000_000, 'globex', 'search', now)]);
    const acme = budgets.check('acme', 'chat');
    expect(acme).toMatchObject({ allowed: true, budget: 'acme-daily', spent: '1.5', remaining: '0.5' });
    expect(acme.budgets.map((b) => b.budget)).toEqual(['all-monthly', 'acme-daily', 'acme-chat']);
    expect(budgets.check(undefined, 'search')).toMatchObject({ budget: 'search', spent: '0.9', remaining: '0.1' });
    expect(budgets.check('initech')).toMatchObject({ allowed: true, budget: 'all-monthly', spent: '2.4' });
    expect(new Budgets([], { log: () => {} }).check('acme')).toEqual({
      allowed: true,
      budget: null,
      spent: null,
      limit: null,
      remaining: null,
      resetsAt: null,
      budgets: [],
    });
  });

  it('rebuilds the current hour, day and month from the store after a restart, without firing again', async () => {
    const now = at('2026-03-10T10:30:00Z');
    store = await DuckDbStore.open(':memory:');
    await store.insertSpans([
      row(1_000_000_001, 'acme', 'chat', at('2026-03-10T10:05:00Z')),
      row(2_000_000_000, 'acme', 'search', at('2026-03-10T09:00:00Z')),
      row(4_000_000_000, 'acme', 'chat', at('2026-03-01T00:00:00Z')),
      row(8_000_000_000, 'acme', 'chat', at('2026-02-28T23:59:59.999Z')),
      row(null, 'acme', 'chat', at('2026-03-10T10:06:00Z')),
      row(16, 'globex', 'chat', at('2026-03-10T10:07:00Z')),
      row(32, null, null, at('2026-03-10T10:08:00Z')),
    ]);
    const lines: string[] = [];
    const config = [
      { name: 'acme-month', tenant: 'acme', window: 'month' as const, limitNanos: 5_000_000_000n, soft: 0.5 },
      { name: 'acme-chat-day', tenant: 'acme', feature: 'chat', window: 'day' as const, limitNanos: 10_000_000_000n },
    ];
    const budgets = new Budgets(config, { now: () => now, log: (m) => lines.push(m) });
    await budgets.rebuild(store);
    const ledger = budgets.ledger;
    expect(ledger.spent({ tenant: 'acme' }, 'hour')).toBe(1_000_000_001n);
    expect(ledger.spent({ tenant: 'acme' }, 'day')).toBe(3_000_000_001n);
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(7_000_000_001n);
    expect(ledger.spent({ feature: 'chat' }, 'month')).toBe(5_000_000_017n);
    expect(ledger.spent({ tenant: 'acme', feature: 'chat' }, 'day')).toBe(1_000_000_001n);
    expect(ledger.spent({}, 'hour')).toBe(1_000_000_049n);
    expect(ledger.spent({}, 'month')).toBe(7_000_000_049n);
    // Already past the limit before the restart: not announced again.
    expect(lines).toEqual([]);
    expect(budgets.check('acme')).toMatchObject({ allowed: false, budget: 'acme-month', spent: '7.000000001' });
    budgets.record([row(1, 'acme', 'chat', now)]);
    expect(lines).toEqual([]);
  });

  it('posts each crossing once to the webhook', async () => {
    const bodies: unknown[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/budget`;
    const now = at('2026-12-31T23:30:00Z');
    const webhook = new BudgetWebhook({ url, log: () => {} });
    const budgets = new Budgets(
      [{ name: 'summaries', feature: 'summarize', window: 'month', limitNanos: 3_000_000_000n, soft: 0.9 }],
      { now: () => now, log: () => {}, webhook },
    );
    budgets.record([row(2_700_000_000, 'acme', 'summarize', now)]);
    budgets.record([row(300_000_000, 'globex', 'summarize', now)]);
    budgets.record([row(300_000_000, 'globex', 'summarize', now)]);
    await budgets.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(bodies).toEqual([
      {
        budget: 'summaries',
        feature: 'summarize',
        window: 'month',
        threshold: 'soft',
        spent: '2.7',
        limit: '3',
        utilization: 0.9,
        windowStart: '2026-12-01T00:00:00.000Z',
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
      {
        budget: 'summaries',
        feature: 'summarize',
        window: 'month',
        threshold: 'limit',
        spent: '3',
        limit: '3',
        utilization: 1,
        windowStart: '2026-12-01T00:00:00.000Z',
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('replaces provisional GPU shares by their final allocation, also when the final comes first', () => {
    const now = at('2026-03-10T10:30:00Z');
    const budgets = new Budgets([{ name: 'acme', tenant: 'acme', window: 'day', limitNanos: 1_000_000n }], {
      now: () => now,
      log: () => {},
    });
    const provisional = (cost: number, gpu: number, idle: number) => ({
      ...row(cost, 'acme', 'assist', now),
      costGpuNanos: gpu,
      costIdleNanos: idle,
      allocationFinal: false,
    });
    // $0.000100 of tokens + 300 GPU + 50 idle provisional; final: 200 GPU + 20 idle + 5 overhead.
    const first = provisional(100_350, 300, 50);
    budgets.record([first]);
    expect(budgets.ledger.spent({ tenant: 'acme' }, 'day')).toBe(100_350n);
    const final = (r: InferenceSpanRow) => ({
      traceId: r.traceId,
      spanId: r.spanId,
      gpuNanos: 200,
      idleNanos: 20,
      overheadNanos: 5,
      gpuSeconds: 0.2,
    });
    budgets.finalize([final(first)]);
    budgets.finalize([final(first)]); // once
    expect(budgets.ledger.spent({ tenant: 'acme' }, 'day')).toBe(100_225n);
    // A window that closed while its batch was processed: the final is handed out before the row is recorded.
    const second = provisional(1_000, 900, 0);
    budgets.finalize([final(second)]);
    budgets.record([second]);
    expect(budgets.ledger.spent({ tenant: 'acme' }, 'day')).toBe(100_225n + 325n);
  });
});
