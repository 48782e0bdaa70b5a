import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorConfig, collectorConfigFromObject, costStages, startCollector } from '@costspan/collector';
import { checkBudget, clearBudgetCache } from '@costspan/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'budget-test-token';

/** One chat call of the house model as OTLP/JSON: 1,000 input + 500 output tokens = $0.002 at $1/$2 per million. */
function chatCall(tenant: string): string {
  const end = BigInt(Date.now()) * 1_000_000n;
  const attributes = Object.entries({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'house-model',
    'gen_ai.response.model': 'house-model',
    'costspan.tenant': tenant,
    'costspan.feature': 'assist',
  }).map(([key, value]) => ({ key, value: { stringValue: value } }));
  attributes.push(
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000' } as never },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: '500' } as never },
  );
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'budgeted-app' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: randomBytes(16).toString('hex'),
                spanId: randomBytes(8).toString('hex'),
                name: 'chat house-model',
                kind: 3,
                startTimeUnixNano: String(end - 1_000_000_000n),
                endTimeUnixNano: String(end),
                attributes,
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('checkBudget against a running collector', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  const logs: string[] = [];

  beforeAll(async () => {
    const config: CollectorConfig = collectorConfigFromObject({
      receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0', auth_token: TOKEN } } } },
      processors: { costspan: {} },
      exporters: { debug: {} },
      service: { pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: [] } } },
      prices: { models: [{ match: 'house-model', provider: 'openai', prices: { input: 1, output: 2 } }] },
      budgets: [{ name: 'acme-daily', tenant: 'acme', window: 'day', limit: 0.003, soft: 0.5 }],
    });
    collector = await startCollector(config, { stages: costStages(config), log: (m) => logs.push(m) });
    process.env.COSTSPAN_COLLECTOR_AUTH_TOKEN = TOKEN;
  });
  afterAll(async () => {
    delete process.env.COSTSPAN_COLLECTOR_AUTH_TOKEN;
    await collector?.close();
  });

  const send = async (tenant: string) => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: chatCall(tenant),
    });
    expect(response.status).toBe(200);
  };

  it('allows calls under the limit and denies them once spend reaches it', async () => {
    clearBudgetCache();
    const collectorUrl = new URL(collector.url);
    const fresh = await checkBudget({ tenant: 'acme', collector: collectorUrl, cacheMs: 0 });
    expect(fresh).toMatchObject({ allowed: true, spent: 0, limit: 0.003, remaining: 0.003, stale: false });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(fresh.resetsAt).toBe(midnight.toISOString());

    await send('acme');
    expect(await checkBudget({ tenant: 'acme', collector: collectorUrl, cacheMs: 0 })).toMatchObject({
      allowed: true,
      spent: 0.002,
      remaining: 0.001,
    });
    expect(logs.filter((l) => l.includes("budget 'acme-daily'"))).toHaveLength(1);
    expect(logs.at(-1)).toContain('soft threshold 50% crossed: $0.002 of $0.003');

    // Another tenant's spend does not count against acme's budget; no budget applies to it.
    await send('globex');
    expect(await checkBudget({ tenant: 'globex', collector: collectorUrl, cacheMs: 0 })).toMatchObject({
      allowed: true,
      limit: Number.POSITIVE_INFINITY,
      stale: false,
    });

    // A cached answer stays until it expires.
    const cached = await checkBudget({ tenant: 'acme', collector: collectorUrl, cacheMs: 60_000 });
    await send('acme');
    expect(await checkBudget({ tenant: 'acme', collector: collectorUrl, cacheMs: 60_000 })).toBe(cached);
    expect(await checkBudget({ tenant: 'acme', collector: collectorUrl, cacheMs: 0 })).toMatchObject({
      allowed: false,
      spent: 0.004,
      limit: 0.003,
      remaining: 0,
      stale: false,
    });
    expect(logs.filter((l) => l.includes("budget 'acme-daily'"))).toHaveLength(2);
    expect(logs.at(-1)).toContain('limit reached: $0.004 of $0.003');

    // The gauges are on the collector's /metrics.
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(/costspan_budget_utilization[^\n]*costspan_budget_name="acme-daily"[^\n]* 1\.333333/);
    expect(metrics).toMatch(/costspan_budget_spend[^\n]*costspan_tenant="acme"[^\n]* 0\.004/);
  });

  it('answers 401 without the bearer token', async () => {
    const response = await fetch(`${collector.url}/v1/costspan/budget?tenant=acme`);
    expect(response.status).toBe(401);
    const post = await fetch(`${collector.url}/v1/costspan/budget`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme' }),
    });
    expect(await post.json()).toMatchObject({ allowed: false, budget: 'acme-daily', spent: '0.004', limit: '0.003' });
  });
});

describe('the budget ledger after a restart', () => {
  it('is rebuilt from the store: the spend of the day so far still counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-budget-restart-'));
    const config: CollectorConfig = collectorConfigFromObject({
      receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
      exporters: { duckdb: { path: join(dir, 'store.duckdb') } },
      prices: { models: [{ match: 'house-model', provider: 'openai', prices: { input: 1, output: 2 } }] },
      budgets: [{ name: 'acme-daily', tenant: 'acme', window: 'day', limit: 0.003 }],
    });
    try {
      const first = await startCollector(config, { stages: costStages(config), log: () => {} });
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${first.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: chatCall('acme'),
        });
        expect(response.status).toBe(200);
      }
      await first.close();
      const logs: string[] = [];
      const second = await startCollector(config, { stages: costStages(config), log: (m) => logs.push(m) });
      try {
        const answer = await checkBudget({ tenant: 'acme', collector: new URL(second.url), cacheMs: 0 });
        expect(answer).toMatchObject({ allowed: false, spent: 0.004, limit: 0.003, remaining: 0, stale: false });
        expect(logs).toEqual([]); // the limit was reached before the restart: not announced again
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
