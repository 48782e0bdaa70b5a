import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costStages, loadCollectorConfig } from '@costspan/collector';
import { resolveCostspanConfig } from '@costspan/node';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('one costspan.yaml read by both doors (@costspan/node COSTSPAN_CONFIG and the collector --config)', () => {
  it('both accept every shared section and read the same prices file next to the config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-one-file-'));
    dirs.push(dir);
    await writeFile(
      join(dir, 'prices.yaml'),
      'models:\n  - { match: house-model, provider: openai, prices: { input: 1, output: 2 } }\n',
    );
    const configFile = join(dir, 'costspan.yaml');
    await writeFile(
      configFile,
      `receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } } }
processors: { costspan: { window_grace: 1s } }
exporters: { debug: {} }
service: { pipelines: { traces: { receivers: [otlp], processors: [costspan], exporters: [debug] } } }
prices: prices.yaml
gpu:
  nodes: [{ id: gpu-a, hourlyRate: 3.6, match: { server.address: vllm.internal, server.port: 8000 } }]
attribution: { featureKeys: [app.feature], tenantKeys: [customer.id], maxTenants: 50 }
compat: [openinference]
budgets: [{ name: acme-daily, tenant: acme, window: day, limit: 5, soft: 0.8 }]
`,
    );

    const node = resolveCostspanConfig({ configFile });
    expect(node.attribution).toEqual({ featureKeys: ['app.feature'], tenantKeys: ['customer.id'] });
    expect(node.maxTenants).toBe(50);
    expect(node.compat).toEqual(['openinference']);
    const budgets = [{ name: 'acme-daily', tenant: 'acme', window: 'day', limitNanos: 5_000_000_000n, soft: 0.8 }];
    expect(node.budgets).toEqual(budgets);
    const priced = node.priceBook.price({
      provider: 'openai',
      model: 'house-model',
      usage: { inputTokens: 1_000, outputTokens: 500 },
    });
    expect(priced.status === 'priced' && priced.nanos.amount).toBe(2_000_000);

    const collector = loadCollectorConfig(configFile, {});
    expect(collector.prices).toBe(join(dir, 'prices.yaml'));
    expect(collector.compat).toEqual(['openinference']);
    expect(collector.budgets).toEqual(budgets);
    expect(collector.attribution).toEqual({
      featureKeys: ['app.feature'],
      tenantKeys: ['customer.id'],
      maxTenants: 50,
    });
    expect(costStages(collector)).toBeDefined(); // prices, gpu and attribution validated at start
  });
});
