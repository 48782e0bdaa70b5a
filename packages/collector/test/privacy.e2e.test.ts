import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig } from '../src/config.js';
import { costStages } from '../src/cost-stage.js';
import { DuckDbStore } from '../src/store/duckdb-store.js';
import type { CollectorConfig } from '../src/types.js';
import { post } from './helpers.js';

const PROMPT = 'my card number is 4111 1111 1111 1111';
const COMPLETION = 'I cannot store card numbers.';
const dir = mkdtempSync(join(tmpdir(), 'costspan-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy: the collector store never keeps prompt or completion text', () => {
  it('stores the priced call of a span that carries message content, and none of the text', async () => {
    const storePath = join(dir, 'costspan.duckdb');
    const config: CollectorConfig = {
      ...defaultCollectorConfig(),
      receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20 },
      store: { path: storePath },
      telemetry: { prometheus: false },
    };
    const collector = await startCollector(config, { stages: costStages(config), log: () => {} });
    const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const traces = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', 'support-bot')] },
          scopeSpans: [
            {
              scope: { name: 'app' },
              spans: [
                {
                  traceId: 'ab'.repeat(16),
                  spanId: 'cd'.repeat(8),
                  name: 'chat gpt-4o-mini',
                  kind: 3,
                  startTimeUnixNano: '1790812800000000000',
                  endTimeUnixNano: '1790812801000000000',
                  attributes: [
                    str('gen_ai.operation.name', 'chat'),
                    str('gen_ai.provider.name', 'openai'),
                    str('gen_ai.request.model', 'gpt-4o-mini'),
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: '7' } },
                    str(
                      'gen_ai.input_messages',
                      JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: PROMPT }] }]),
                    ),
                    str(
                      'gen_ai.output_messages',
                      JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: COMPLETION }] }]),
                    ),
                    str('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: PROMPT }])),
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    try {
      const answer = await post(`${collector.url}/v1/traces`, JSON.stringify(traces), {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(200);
    } finally {
      await collector.close();
    }

    const store = await DuckDbStore.open(storePath);
    try {
      const spans = await store.query('SELECT span_id, pricing_status, input_tokens FROM inference_spans');
      expect(spans).toEqual([{ span_id: 'cd'.repeat(8), pricing_status: 'priced', input_tokens: 12n }]);
      // Every table of the store, every column: none holds any part of the text.
      const tables = await store.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'",
      );
      expect(tables.length).toBeGreaterThan(1);
      for (const { table_name } of tables) {
        const rows = await store.query(`SELECT * FROM "${String(table_name)}"`);
        const text = JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
        expect(text, String(table_name)).not.toContain('4111');
        expect(text, String(table_name)).not.toContain('card number');
        expect(text, String(table_name)).not.toContain(COMPLETION);
      }
    } finally {
      await store.close();
    }
  });
});
