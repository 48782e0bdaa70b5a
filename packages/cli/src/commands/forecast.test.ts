import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore, type InferenceSpanRow } from '@costspan/collector';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'costspan-forecast-'));

function row(i: number, day: string, costNanos: number, feature: string): InferenceSpanRow {
  const end = BigInt(Date.parse(`${day}T12:00:00Z`)) * 1_000_000n;
  const none = null;
  return {
    traceId: i.toString(16).padStart(32, '0'),
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: none,
    startTimeUnixNano: String(end - 1_000_000_000n),
    endTimeUnixNano: String(end),
    spanName: 'chat',
    serviceName: 'svc',
    operation: 'chat',
    provider: 'openai',
    requestModel: 'm',
    responseModel: 'm',
    feature,
    tenant: none,
    serviceTier: none,
    inputTokens: 1,
    outputTokens: 1,
    cacheReadTokens: none,
    cacheWriteTokens: none,
    cacheWrite1hTokens: none,
    reasoningTokens: none,
    inputAudioTokens: none,
    outputAudioTokens: none,
    webSearchRequests: none,
    pricingStatus: 'priced',
    pricingReason: none,
    pricingProvider: none,
    pricingModel: none,
    pricingSource: none,
    pricingTier: none,
    costSource: 'local',
    currency: 'USD',
    costNanos,
    costInputNanos: none,
    costOutputNanos: none,
    costCacheReadNanos: none,
    costCacheWriteNanos: none,
    costRequestNanos: none,
    costGpuNanos: none,
    costIdleNanos: none,
    costOverheadNanos: none,
    gpuNode: none,
    gpuSeconds: none,
    gpuConcurrency: none,
    allocationMethod: none,
    allocationFinal: none,
  };
}

describe('costspan forecast --config', () => {
  it("sets each feature beside its monthly budget from the shared file's budgets section", async () => {
    const storePath = join(dir, 'store.duckdb');
    const store = await DuckDbStore.open(storePath);
    const rows: InferenceSpanRow[] = [];
    for (let d = 1; d <= 20; d++) rows.push(row(d, `2026-11-${String(d).padStart(2, '0')}`, 2_000_000_000, 'chat'));
    await store.insertSpans(rows);
    await store.close();
    const config = join(dir, 'costspan.yaml');
    writeFileSync(
      config,
      `budgets:
  - { name: chat-monthly, feature: chat, window: month, limit: 50 }
  - { name: chat-daily, feature: chat, window: day, limit: 1 }
`,
    );
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const args = ['forecast', '--store', storePath, '--by', 'feature', '--as-of', '2026-11-11', '--format', 'json'];
    expect(await main([...args, '--config', config], io)).toBe(0);
    expect(err).toEqual([]);
    const result = JSON.parse(out.join('\n'));
    expect(result.rows[0]).toMatchObject({
      feature: 'chat',
      monthToDate: '20.00',
      projected: '60.00',
      budget: { name: 'chat-monthly', limit: '50.00', exceeded: false, exceedsOn: '2026-11-25' },
    });

    writeFileSync(config, 'budgets:\n  - { name: x, window: week, limit: 1 }\n');
    expect(await main([...args, '--config', config], io)).toBe(1);
    expect(err.join('\n')).toContain('budgets[0].window: expected one of hour, day, month');
  });
});
