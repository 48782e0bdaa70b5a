import {
  freePort,
  prometheusBinary,
  query,
  queryUntil,
  scrapeConfig,
  startPrometheus,
} from '@costspan/example-prometheus/prometheus';
import { CostSpanProcessor } from '@costspan/processor';
import { ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT, ATTR_GEN_AI_USAGE_COST_AMOUNT } from '@costspan/semconv';
import { createTestTracing } from '@costspan/testing';
import { SpanKind } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';

const CALLS = [
  {
    feature: 'support-chat',
    tenant: 'acme',
    provider: 'openai',
    model: 'gpt-4o-mini',
    input: 1200,
    cached: 512,
    output: 300,
  },
  {
    feature: 'support-chat',
    tenant: 'globex',
    provider: 'openai',
    model: 'gpt-4o-mini',
    input: 900,
    cached: 0,
    output: 150,
  },
  {
    feature: 'summarize',
    tenant: 'acme',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    input: 4000,
    cached: 3000,
    output: 400,
  },
  {
    feature: 'summarize',
    tenant: 'acme',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    input: 2000,
    cached: 0,
    output: 250,
  },
  {
    feature: 'search',
    tenant: 'initech',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    input: 800,
    cached: 0,
    output: 900,
  },
];

describe.skipIf(!prometheusBinary())(
  'Prometheus scrapes the cost metrics (exporter-prometheus, real Prometheus on loopback)',
  () => {
    it('PromQL sums by feature and cost per request equal what the spans carry', async () => {
      const port = await freePort();
      const exporter = new PrometheusExporter({ host: '127.0.0.1', port });
      const meterProvider = new MeterProvider({ readers: [exporter] });
      const tracing = createTestTracing({ spanProcessors: [new CostSpanProcessor({ meterProvider })] });
      const prometheus = await startPrometheus(scrapeConfig(`127.0.0.1:${port}`));
      try {
        for (const c of CALLS) {
          tracing.tracer
            .startSpan(`chat ${c.model}`, {
              kind: SpanKind.CLIENT,
              attributes: {
                [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
                [ATTR_GEN_AI_PROVIDER_NAME]: c.provider,
                [ATTR_GEN_AI_REQUEST_MODEL]: c.model,
                [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: c.input,
                [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: c.cached,
                [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: c.output,
                [ATTR_COSTSPAN_FEATURE]: c.feature,
                [ATTR_COSTSPAN_TENANT]: c.tenant,
              },
            })
            .end();
        }
        const expected = new Map<string, number>();
        let total = 0;
        for (const span of tracing.spans()) {
          const amount = span.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT] as number;
          expect(amount).toBeGreaterThan(0);
          const feature = span.attributes[ATTR_COSTSPAN_FEATURE] as string;
          expected.set(feature, (expected.get(feature) ?? 0) + amount);
          total += amount;
        }

        const byFeature = await queryUntil(
          prometheus.url,
          'sum by (costspan_feature) (gen_ai_client_operation_cost_sum)',
          (r) => r.length === expected.size,
        );
        for (const row of byFeature) {
          expect(row.value).toBeCloseTo(expected.get(row.metric.costspan_feature!)!, 12);
        }
        const perRequest = await query(
          prometheus.url,
          'sum(gen_ai_client_operation_cost_sum) / sum(gen_ai_client_operation_cost_count)',
        );
        expect(perRequest[0]!.value).toBeCloseTo(total / CALLS.length, 12);
        const byTenant = await query(prometheus.url, 'sum by (costspan_tenant) (gen_ai_client_operation_cost_count)');
        expect(Object.fromEntries(byTenant.map((r) => [r.metric.costspan_tenant, r.value]))).toEqual({
          acme: 3,
          globex: 1,
          initech: 1,
        });
      } finally {
        await prometheus.stop();
        await tracing.shutdown();
        await meterProvider.shutdown();
      }
    });
  },
);
