import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import type { ReportQueryAnswerer } from '../src/report-endpoint.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { post } from './helpers.js';

/** Answers with the number of stored spans, read on the connection the endpoint hands out. */
const countSpans: ReportQueryAnswerer = async (connection, body) => {
  const reader = await connection.runAndReadAll('SELECT count(*) AS n FROM inference_spans');
  return {
    status: 200,
    body: JSON.stringify({ asked: JSON.parse(body), spans: Number(reader.getRowObjects()[0]!.n) }),
  };
};

const span = (k: number) => ({
  traceId: k.toString(16).padStart(32, '0'),
  spanId: k.toString(16).padStart(16, '0'),
  name: 'chat gpt-4o-mini',
  kind: 3,
  startTimeUnixNano: '1790812800000000000',
  endTimeUnixNano: '1790812801000000000',
  attributes: [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: '5' } },
  ],
});

describe('report endpoint', () => {
  let collector: RunningCollector;
  let bare: RunningCollector;
  const auth = { authorization: 'Bearer s3cret', 'content-type': 'application/json' };

  beforeAll(async () => {
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20, authToken: 's3cret' },
      store: { path: join(mkdtempSync(join(tmpdir(), 'costspan-report-endpoint-')), 'costspan.duckdb') },
      telemetry: { prometheus: false },
    };
    collector = await startCollector(config, {
      stages: costStages(config),
      log: () => {},
      answerReportQuery: countSpans,
    });
    const plain: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 },
    };
    plain.telemetry = { prometheus: false };
    bare = await startCollector(plain, { log: () => {} });
  });

  afterAll(async () => {
    await collector?.close();
    await bare?.close();
  });

  it('answers on a reader connection that sees the spans just stored', async () => {
    const traces = { resourceSpans: [{ scopeSpans: [{ spans: [span(1), span(2), span(3)] }] }] };
    expect((await post(`${collector.url}/v1/traces`, JSON.stringify(traces), auth)).status).toBe(200);
    const r = await post(`${collector.url}/v1/costspan/report`, JSON.stringify({ kind: 'report' }), auth);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({ asked: { kind: 'report' }, spans: 3 });
  });

  it('needs the bearer token, JSON and POST', async () => {
    const body = JSON.stringify({ kind: 'report' });
    expect(
      (await post(`${collector.url}/v1/costspan/report`, body, { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect(
      (await post(`${collector.url}/v1/costspan/report`, body, { ...auth, 'content-type': 'text/plain' })).status,
    ).toBe(415);
    const get = await fetch(`${collector.url}/v1/costspan/report`, { headers: auth });
    expect(get.status).toBe(405);
  });

  it('answers 404 naming why when there is no store or no report support', async () => {
    const r = await post(`${bare.url}/v1/costspan/report`, '{}', { 'content-type': 'application/json' });
    expect(r.status).toBe(404);
    expect(r.body.toString()).toMatch(/no store/);
  });
});
