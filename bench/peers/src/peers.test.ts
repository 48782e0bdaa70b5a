// Smoke test of the peer bench (no timing asserted): every arm, in a process of its own as the bench runs it,
// exports spans for its calls through the shared pipeline, and the costspan arms write the call's cost.
import {
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  COSTSPAN_PRICING_STATUS_VALUE_PRICED,
} from '@costspan/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARMS } from './arms.mjs';
import { startFakeServer } from './fake-server.mjs';
import { runArm } from './run.mjs';

const SMALL = {
  ...process.env,
  BENCH_WARMUP: '2',
  BENCH_BLOCKS: '1',
  BENCH_BLOCK_CALLS: '3',
  BENCH_ALLOC_BLOCKS: '1',
  BENCH_ALLOC_CALLS: '2',
  BENCH_SAMPLE: '1',
};

type Result = {
  spansPerCall: number;
  exportedBytes: number;
  wallUs: number;
  cpuUs: number;
  sample?: Array<{ name: string; attributes: Record<string, unknown> }>;
};

let server: Awaited<ReturnType<typeof startFakeServer>>;
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(async () => {
  await server?.close();
});

// gpt-4o-mini: 1,200 input tokens of which 1,024 cached, 2 output tokens, at $0.15 / $0.075 (cached) / $0.60 per
// million: 176 × 0.15 + 1,024 × 0.075 + 2 × 0.60 = 104.4 µ$.
const EXPECTED_USD = 0.0001044;

describe('peer bench arms', () => {
  it('the uninstrumented arm makes its calls and exports nothing', async () => {
    const r = (await runArm('none', server.url, SMALL)) as Result;
    expect(r.spansPerCall).toBe(0);
    expect(r.exportedBytes).toBe(0);
    expect(r.wallUs).toBeGreaterThan(0);
    expect(r.cpuUs).toBeGreaterThan(0);
  });

  for (const arm of Object.keys(ARMS).filter((a) => a !== 'none')) {
    it(`${arm}: one exported span per call, encoded to OTLP protobuf`, async () => {
      const r = (await runArm(arm, server.url, SMALL)) as Result;
      expect(r.spansPerCall).toBe(1);
      expect(r.exportedBytes).toBeGreaterThan(100);
      const attributes = r.sample?.[0]?.attributes ?? {};
      if (arm === 'costspan' || arm === 'costspan-essential') {
        expect(attributes[ATTR_COSTSPAN_PRICING_STATUS]).toBe(COSTSPAN_PRICING_STATUS_VALUE_PRICED);
        expect(attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeCloseTo(EXPECTED_USD, 12);
        expect(attributes[ATTR_GEN_AI_USAGE_COST_CURRENCY]).toBe('USD');
      } else if (arm === 'openlit') {
        expect(typeof attributes[ATTR_GEN_AI_USAGE_COST]).toBe('number');
      } else {
        expect(attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeUndefined();
      }
    });
  }
});
