import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '@costspan/collector';
import { ATTR_GEN_AI_USAGE_COST_AMOUNT } from '@costspan/semconv';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterAll, describe, expect, it } from 'vitest';
import { get, TestUpstream, waitFor } from '../../collector/test/helpers.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'collector-bin.js');

function run(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

describe('the costspan-collector command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming the key for an invalid configuration', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'gpu:\n  nodes:\n    - id: gpu-a\n      hourlyRate: -1\n');
    const bad = run(['--config', config]);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toMatch(/gpu\.nodes\[0\]\.hourlyRate/);
    const prices = join(dir, 'prices.yaml');
    writeFileSync(prices, 'prices:\n  models:\n    - match: m\n      prices: { input: -3 }\n');
    const badPrices = run(['--config', prices]);
    expect(await badPrices.exit).toBe(2);
    expect(badPrices.stderr()).toMatch(/models\[0\]\.prices\.input/);
    const flag = run(['--forward-protocol', 'grpc']);
    expect(await flag.exit).toBe(2);
    expect(flag.stderr()).toMatch(/--forward-protocol/);
  });

  it('prices a NodeSDK service, then on SIGTERM flushes the queue and the store and exits 0', async () => {
    const upstream = await new TestUpstream().start();
    const store = join(dir, 'cli.duckdb');
    const proc = run(['--listen', '127.0.0.1:0', '--forward', upstream.url, '--store', store]);
    await waitFor(() => /listening on (http:\/\/[^/]+)/.test(proc.stderr()), 20_000, 'the collector to listen');
    const url = /listening on (http:\/\/[^/]+)/.exec(proc.stderr())![1]!;
    expect((await get(`${url}/health`)).status).toBe(200);

    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      traceExporter: new OTLPTraceExporter({ url: `${url}/v1/traces` }),
      instrumentations: [],
    });
    sdk.start();
    const tracer = trace.getTracer('checkout');
    tracer
      .startSpan('chat gpt-4o-mini', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 1200,
          'gen_ai.usage.output_tokens': 300,
        },
      })
      .end();
    await sdk.shutdown();

    await waitFor(() => upstream.spans().length === 1, 15_000, 'the span upstream');
    expect(upstream.span('chat gpt-4o-mini').attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]).toBeGreaterThan(0);
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    expect(proc.stderr()).toMatch(/stopped; received 1, priced 1/);
    await upstream.stop();
    const db = await DuckDbStore.open(store);
    try {
      expect(await db.query('SELECT service_name, request_model FROM inference_spans')).toEqual([
        { service_name: 'checkout', request_model: 'gpt-4o-mini' },
      ]);
    } finally {
      await db.close();
    }
  });
});
