/**
 * One provider vocabulary from span to invoice: xAI spans stored by the collector under each spelling senders use
 * (`x_ai` from OTel instrumentation, `x-ai` from OpenRouter/LiteLLM names, `xai` from the AI SDK) meet the
 * FOCUS invoice row whose ProviderName is `xAI` in one reconcile row.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from './fault-kit.ts';
import { repoRoot, runToEnd } from './run-process.ts';

const CLI = join(repoRoot, 'packages/cli/dist/bin.js');
const DAY = Date.UTC(2026, 9, 1);

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

function xaiSpans(providers: string[]) {
  const spans = providers.map((provider, i) => {
    const start = BigInt(DAY + (i + 1) * 60_000) * 1_000_000n;
    return {
      traceId: (i + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat grok-4',
      kind: 3,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 800_000_000n).toString(),
      attributes: [
        str('gen_ai.operation.name', 'chat'),
        str('gen_ai.provider.name', provider),
        str('gen_ai.request.model', 'grok-4'),
        int('gen_ai.usage.input_tokens', 1000),
        int('gen_ai.usage.output_tokens', 100),
      ],
      status: {},
    };
  });
  return {
    resourceSpans: [
      { resource: { attributes: [str('service.name', 'grok-app')] }, scopeSpans: [{ scope: { name: 't' }, spans }] },
    ],
  };
}

const FOCUS_HEADER =
  'BillingAccountId,BillingCurrency,BilledCost,EffectiveCost,ListCost,ChargeCategory,ChargeClass,ChargePeriodStart,ChargePeriodEnd,ProviderName,PublisherName,ServiceName,ServiceCategory,ResourceId,ResourceName,SkuId,PricingQuantity,PricingUnit,RegionId,Tags';

let collector: CollectorProcess | undefined;
afterAll(() => {
  if (collector && collector.child.exitCode === null) collector.child.kill('SIGKILL');
});

describe('provider names from span to invoice', () => {
  it('xAI spans stored under x_ai, x-ai and xai meet the invoice row of xAI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-provider-names-'));
    const store = join(dir, 'costspan.duckdb');
    collector = await startCollectorProcess(['--store', store]);
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(xaiSpans(['x_ai', 'x-ai', 'xai'])),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    collector.child.kill('SIGTERM');
    expect((await collector.exit).code).toBe(0);

    const invoice = join(dir, 'focus.csv');
    await writeFile(
      invoice,
      `${FOCUS_HEADER}\nacct-1,USD,0.0150,0.0150,0.0150,Usage,,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,xAI,xAI,Grok API,AI and Machine Learning,team,team,grok-4-tokens,1100,Tokens,us-east-1,"{""model"":""grok-4""}"\n`,
    );
    const result = await runToEnd(
      process.execPath,
      [CLI, 'reconcile', '--store', store, '--invoice', invoice, '--invoice-format', 'focus', '--format', 'json'],
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const reconciled = JSON.parse(result.stdout);
    // One row: the three spans ($0.0045 each at the catalog's grok-4 price) against the invoice's $0.015.
    expect(reconciled.rows).toEqual([
      expect.objectContaining({
        day: '2026-10-01',
        provider: 'x-ai',
        model: 'grok-4',
        variance: '0.0015',
        estimate: '0.0135',
        actual: '0.015',
      }),
    ]);
  });
});
