import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_COSTSPAN_TENANT,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_LLM_COST_TOTAL,
} from '@costspan/semconv';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { collectorConfigFromFlags } from '../src/config-flags.js';
import { costStages } from '../src/cost-stage.js';
import { TestUpstream, waitFor } from './helpers.js';
import { sendWithSdk } from './sdk-source.js';

describe('one COSTSPAN_CONFIG file for both doors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-shared-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads attribution (with maxTenants), top-level compat and a prices path relative to the file', async () => {
    const upstream = await new TestUpstream().start();
    writeFileSync(
      join(dir, 'prices.yaml'),
      'models:\n  - { match: house-model, provider: openai, prices: { input: 1, output: 2 } }\n',
    );
    const configPath = join(dir, 'costspan.yaml');
    writeFileSync(
      configPath,
      `# the sections @costspan/node reads, plus the collector's own
receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } } }
exporters: { otlphttp/backend: { endpoint: ${upstream.url} } }
prices: prices.yaml
attribution:
  featureKeys: [app.feature]
  tenantKeys: [customer.id]
  maxTenants: 50
compat: [openinference]
`,
    );
    expect(process.cwd()).not.toBe(dir); // the prices path resolves against the file, not the working directory
    const config = collectorConfigFromFlags({ config: configPath }, {});
    expect(config.prices).toBe(join(dir, 'prices.yaml'));
    expect(config.compat).toEqual(['openinference']);
    const collector = await startCollector(config, { stages: costStages(config), log: () => {} });
    try {
      const now = Date.now();
      await sendWithSdk(collector.url, 'protobuf', { 'service.name': 'svc', 'customer.id': 'acme' }, [
        {
          name: 'chat house-model',
          start: now - 1_000,
          end: now,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'house-model',
            'gen_ai.usage.input_tokens': 1_000,
            'gen_ai.usage.output_tokens': 500,
            'app.feature': 'summarize',
          },
        },
      ]);
      await waitFor(() => upstream.spans().length === 1, 15_000, 'the span upstream');
      // 1,000 × $1/M + 500 × $2/M from the relative prices file; feature and tenant from the configured keys
      expect(upstream.spans()[0]!.attributes).toMatchObject({
        [ATTR_COSTSPAN_PRICING_STATUS]: 'priced',
        [ATTR_GEN_AI_USAGE_COST_AMOUNT]: 0.002,
        [ATTR_LLM_COST_TOTAL]: 0.002,
        [ATTR_COSTSPAN_FEATURE]: 'summarize',
        [ATTR_COSTSPAN_TENANT]: 'acme',
      });
    } finally {
      await collector.close();
      await upstream.stop();
    }
  });
});
