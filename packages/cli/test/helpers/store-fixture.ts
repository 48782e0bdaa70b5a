/**
 * Fills a store through the REAL collector pipeline: span specs become OTLP/HTTP JSON posted to a running
 * `startCollector` (pricing, GPU allocation, DuckDB store); closing it flushes the allocation windows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorConfigFromObject, costStages, startCollector } from '@costspan/collector';
import { createPriceBook } from '@costspan/pricing';
import { ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT } from '@costspan/semconv';
import { ATTR_SERVER_ADDRESS, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';

export interface SpanSpec {
  time: string;
  /** Default 1000 ms. */
  durationMs?: number;
  traceId: string;
  spanId: string;
  provider: string;
  model: string;
  feature?: string;
  tenant?: string;
  input: number;
  output: number;
  cacheRead?: number;
  /** Served by a self-hosted node (matched by server.address: `vllm.internal` for gpu-a, else `<node>.internal`). */
  node?: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'costspan-reporting-'));
}

/** The GPU node of the fixtures: $2.49/h from 2026-10-01T16:00Z, 60 s windows, matched by server.address. */
export const GPU_CONFIG = {
  nodes: [
    { id: 'gpu-a', hourlyRate: 2.49, startTime: '2026-10-01T16:00:00Z', match: { 'server.address': 'vllm.internal' } },
  ],
  window: 60_000,
};

const nano = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

/** The server.address that routes a span to a node of the GPU config. */
export function nodeAddress(node: string): string {
  return node === 'gpu-a' ? 'vllm.internal' : `${node}.internal`;
}

export async function createStore(path: string, spans: readonly SpanSpec[], gpu: object = GPU_CONFIG) {
  const config = collectorConfigFromObject({ gpu });
  config.receiver.endpoint = '127.0.0.1:0';
  config.store = { path };
  config.telemetry = { prometheus: false };
  const running = await startCollector(config, { stages: costStages(config), tickMs: 1_000_000_000, log: () => {} });
  try {
    const otlpSpans = spans.map((s) => {
      const start = Date.parse(s.time);
      const attributes = [
        str(ATTR_GEN_AI_OPERATION_NAME, 'chat'),
        str(ATTR_GEN_AI_PROVIDER_NAME, s.provider),
        str(ATTR_GEN_AI_REQUEST_MODEL, s.model),
        str(ATTR_GEN_AI_RESPONSE_MODEL, s.model),
        int(ATTR_GEN_AI_USAGE_INPUT_TOKENS, s.input),
        int(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, s.output),
      ];
      if (s.cacheRead) attributes.push(int(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, s.cacheRead));
      if (s.feature) attributes.push(str(ATTR_COSTSPAN_FEATURE, s.feature));
      if (s.tenant) attributes.push(str(ATTR_COSTSPAN_TENANT, s.tenant));
      if (s.node) attributes.push(str(ATTR_SERVER_ADDRESS, nodeAddress(s.node)));
      return {
        traceId: s.traceId,
        spanId: s.spanId,
        name: `chat ${s.model}`,
        kind: 3,
        startTimeUnixNano: nano(start),
        endTimeUnixNano: nano(start + (s.durationMs ?? 1000)),
        attributes,
        status: {},
      };
    });
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [str(ATTR_SERVICE_NAME, 'app')] },
          scopeSpans: [{ scope: { name: 'reporting-test' }, spans: otlpSpans }],
        },
      ],
    };
    const response = await fetch(`${running.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`collector answered ${response.status}: ${await response.text()}`);
  } finally {
    await running.close();
  }
  return createPriceBook();
}

/** A month of traffic with known answers. */
export function octoberSpans(): { spans: SpanSpec[] } {
  const spans: SpanSpec[] = [];
  let n = 0;
  const id = () => {
    n++;
    return { traceId: n.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0') };
  };
  // 20 gpt-4o-mini requests for "percentiles": output 100·k tokens at $0.60/M → k × $0.00006.
  for (let k = 1; k <= 20; k++) {
    spans.push({
      time: `2026-10-01T10:${String(k).padStart(2, '0')}:00Z`,
      ...id(),
      provider: 'openai',
      model: 'gpt-4o-mini',
      feature: 'percentiles',
      tenant: 'acme',
      input: 0,
      output: 100 * k,
    });
  }
  // gpt-4o "summarize" on two days, with cache reads.
  for (const day of ['01', '02']) {
    for (let k = 0; k < 3; k++) {
      spans.push({
        time: `2026-10-${day}T12:0${k}:00Z`,
        ...id(),
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        feature: 'summarize',
        tenant: k === 0 ? 'globex' : 'acme',
        input: 1000,
        cacheRead: 200,
        output: 500,
      });
    }
  }
  // Anthropic "chat".
  for (let k = 0; k < 2; k++) {
    spans.push({
      time: `2026-10-01T14:0${k}:00Z`,
      ...id(),
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      feature: 'chat',
      tenant: 'globex',
      input: 2000,
      output: 300,
    });
  }
  // An unknown model: unpriced, never $0.
  spans.push({
    time: '2026-10-01T15:00:00Z',
    ...id(),
    provider: 'openai',
    model: 'mystery-model',
    feature: 'chat',
    tenant: 'acme',
    input: 10,
    output: 10,
  });
  // Self-hosted node spans.
  for (let k = 0; k < 3; k++) {
    spans.push({
      time: `2026-10-01T16:00:${String(k * 10).padStart(2, '0')}Z`,
      ...id(),
      provider: 'vllm',
      model: 'llama-3.1-8b',
      feature: 'chat',
      tenant: 'acme',
      input: 500,
      output: 200,
      durationMs: 10_000,
      node: 'gpu-a',
    });
  }
  // September: summarize was cheaper per request (less output).
  for (let k = 0; k < 2; k++) {
    spans.push({
      time: `2026-09-2${k}T12:00:00Z`,
      ...id(),
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      feature: 'summarize',
      tenant: 'acme',
      input: 1000,
      output: 100,
    });
  }
  return { spans };
}
