import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig, forwardConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { encodeProtobufRequest } from '../src/otlp/codec.js';
import { otlpTypes } from '../src/otlp/proto-root.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { get, post, TestUpstream, waitFor } from './helpers.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

function jsonBody(spans: Array<Record<string, unknown>>) {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] });
}

function chat(spanId: string, attributes: Array<{ key: string; value: Record<string, unknown> }>) {
  return {
    traceId: TRACE,
    spanId,
    name: 'chat',
    kind: 3,
    startTimeUnixNano: '1759320000000000000',
    endTimeUnixNano: '1759320001000000000',
    attributes,
  };
}

const MAX_BODY = 1024 * 1024;

describe('the receiver under bad input', () => {
  let upstream: TestUpstream;
  let collector: RunningCollector;
  let accepted = 0;

  beforeAll(async () => {
    upstream = await new TestUpstream().start();
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: MAX_BODY, authToken: 's3cret' },
      forward: [forwardConfig('otlphttp/backend', upstream.url)],
    };
    collector = await startCollector(config, { stages: costStages(config), log: () => {} });
  });

  afterAll(async () => {
    await collector?.close();
    await upstream?.stop();
  });

  const auth = { authorization: 'Bearer s3cret' };
  const protobuf = { ...auth, 'content-type': 'application/x-protobuf' };
  const json = { ...auth, 'content-type': 'application/json' };

  it('answers 401 without the bearer token', async () => {
    const r = await post(`${collector.url}/v1/traces`, jsonBody([]), { 'content-type': 'application/json' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body.toString())).toMatchObject({ code: 16 });
  });

  it('answers 415 for a wrong content type and for an unknown content encoding', async () => {
    const r = await post(`${collector.url}/v1/traces`, 'hello', { ...auth, 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    const z = await post(`${collector.url}/v1/traces`, jsonBody([]), { ...json, 'content-encoding': 'br' });
    expect(z.status).toBe(415);
  });

  it('answers 400 with a google.rpc.Status for a truncated protobuf body', async () => {
    const full = encodeProtobufRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE, 'hex'),
                  spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                  name: 'a-rather-long-span-name',
                },
              ],
            },
          ],
        },
      ],
    });
    const r = await post(`${collector.url}/v1/traces`, full.subarray(0, full.length - 7), protobuf);
    expect(r.status).toBe(400);
    const status = otlpTypes().status.toObject(otlpTypes().status.decode(r.body)) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/invalid protobuf/);
  });

  it('answers 400 for invalid JSON, a JSON array, and structurally wrong OTLP/JSON', async () => {
    for (const body of [
      '{"resourceSpans": [',
      '[1,2]',
      '{"resourceSpans": 5}',
      jsonBody([{ traceId: 'zz', spanId: 'b7ad6b7169203331' }]),
    ]) {
      const r = await post(`${collector.url}/v1/traces`, body, json);
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body.toString()).message.length).toBeGreaterThan(0);
    }
  });

  it('answers 413 for a 50 MB body without reading it all, and for a gzip bomb', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const r = await post(`${collector.url}/v1/traces`, big, json).catch((error: NodeJS.ErrnoException) => ({
      status: error.code === 'EPIPE' || error.code === 'ECONNRESET' ? 413 : 0,
    }));
    expect(r.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(20 * MAX_BODY, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const b = await post(`${collector.url}/v1/traces`, bomb, { ...json, 'content-encoding': 'gzip' });
    expect(b.status).toBe(413);
  });

  it('accepts gzip and reports spans with invalid ids as partial success', async () => {
    const body = jsonBody([
      chat('b7ad6b7169203331', [{ key: 'http.route', value: { stringValue: '/x' } }]),
      { ...chat('0000000000000000', []), name: 'zero id' },
    ]);
    const r = await post(`${collector.url}/v1/traces`, gzipSync(body), { ...json, 'content-encoding': 'gzip' });
    expect(r.status).toBe(200);
    const answer = JSON.parse(r.body.toString());
    expect(answer.partialSuccess.rejectedSpans).toBe('1');
    expect(answer.partialSuccess.errorMessage).toMatch(/invalid trace or span id/);
    accepted += 1;
  });

  it('prices absurd values without crashing: nothing negative, NaN or infinite goes out', async () => {
    const absurd = [
      chat('1000000000000001', [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '-5' } },
        { key: 'gen_ai.usage.output_tokens', value: { doubleValue: 'NaN' } },
      ]),
      chat('1000000000000002', [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '9223372036854775807' } },
        { key: 'gen_ai.usage.output_tokens', value: { doubleValue: 'Infinity' } },
      ]),
      {
        ...chat('1000000000000003', [
          { key: 'gen_ai.request.model', value: { arrayValue: { values: [{ kvlistValue: { values: [] } }] } } },
          { key: 'gen_ai.usage.input_tokens', value: { stringValue: 'lots' } },
        ]),
        startTimeUnixNano: '18446744073709551615',
        endTimeUnixNano: '0',
      },
    ];
    const r = await post(`${collector.url}/v1/traces`, jsonBody(absurd), json);
    expect(r.status).toBe(200);
    accepted += 3;
    await waitFor(() => upstream.spans().length === accepted, 10_000, 'absurd spans upstream');
    for (const span of upstream.spans()) {
      for (const [key, value] of Object.entries(span.attributes)) {
        if (key.startsWith('gen_ai.usage.cost') || key.startsWith('costspan.cost')) {
          expect(typeof value === 'number' && Number.isFinite(value) && value >= 0, `${key}=${value}`).toBe(true);
        }
      }
    }
    // Garbage counts on a model call are unpriced with a reason, never priced as 0 tokens.
    const garbage = [
      ['1000000000000004', { stringValue: '-1' }],
      ['1000000000000005', { intValue: '18446744073709551615' }],
      ['1000000000000006', { stringValue: 'abc' }],
    ] as const;
    const calls = garbage.map(([id, value]) =>
      chat(id, [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '10' } },
      ]),
    );
    expect((await post(`${collector.url}/v1/traces`, jsonBody(calls), json)).status).toBe(200);
    accepted += 3;
    await waitFor(() => upstream.spans().length === accepted, 10_000, 'garbage-usage spans upstream');
    for (const [id] of garbage) {
      const span = upstream.spans().find((s) => s.spanId === id);
      expect(span?.attributes['costspan.pricing.status']).toBe('unpriced');
      expect(span?.attributes['costspan.pricing.reason']).toBe(
        'invalid usage: gen_ai.usage.input_tokens is not a whole number of tokens >= 0',
      );
      expect(span?.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    }
  });

  it('stays up, healthy, and has lost nothing it accepted', async () => {
    const health = await get(`${collector.url}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
    expect(upstream.spans()).toHaveLength(accepted);
    expect(collector.stats()).toMatchObject({ received: accepted, rejected: 1, exported: accepted, dropped: 0 });
  });

  it('serves its own metrics for Prometheus on /metrics', async () => {
    const r = await get(`${collector.url}/metrics`);
    expect(r.status).toBe(200);
    const text = r.body.toString();
    expect(text).toMatch(/costspan_collector_spans_received(_total)?\{[^}]*\} 7/);
    expect(text).toMatch(/costspan_collector_spans_rejected/);
    expect(text).toMatch(
      /costspan_collector_queue_depth\{[^}]*costspan_collector_exporter="otlphttp\/backend"[^}]*\} 0/,
    );
  });
});
