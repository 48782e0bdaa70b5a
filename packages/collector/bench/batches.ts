/** The OTLP/protobuf batches both collector benches send: 512 spans, a share of them inference spans. */
import { encodeProtobufRequest } from '../src/otlp/codec.js';
import type { OtlpKeyValue, OtlpTraceRequest } from '../src/otlp/model.js';

export const BATCH = 512;
export const INFERENCE_SHARE = Number(process.env.COSTSPAN_BENCH_INFERENCE_SHARE ?? 0.25);

const str = (key: string, value: string): OtlpKeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): OtlpKeyValue => ({ key, value: { intValue: value } });

export function batch(seed: number): Uint8Array {
  const t0 = BigInt(Date.UTC(2026, 9, 1, 12)) * 1_000_000n;
  const spans = Array.from({ length: BATCH }, (_, i) => {
    const inference = i % Math.round(1 / INFERENCE_SHARE) === 0;
    const id = Buffer.alloc(8);
    id.writeUInt32BE(seed, 0);
    id.writeUInt32BE(i + 1, 4);
    const trace = Buffer.alloc(16, 7);
    trace.writeUInt32BE(seed, 0);
    trace.writeUInt32BE(Math.floor(i / 8) + 1, 12);
    const start = t0 + BigInt(i) * 1_000_000n;
    return {
      traceId: trace,
      spanId: id,
      name: inference ? 'chat gpt-4o-mini' : 'GET /api/items',
      kind: inference ? 3 : 2,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 250_000_000n).toString(),
      attributes: inference
        ? [
            str('gen_ai.operation.name', 'chat'),
            str('gen_ai.provider.name', 'openai'),
            str('gen_ai.request.model', 'gpt-4o-mini'),
            str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
            int('gen_ai.usage.input_tokens', 1000 + i),
            int('gen_ai.usage.output_tokens', 200 + (i % 50)),
            str('costspan.feature', 'search'),
            str('costspan.tenant', `t${i % 20}`),
          ]
        : [
            str('http.request.method', 'GET'),
            str('http.route', '/api/items'),
            int('http.response.status_code', 200),
            str('url.path', '/api/items'),
          ],
    };
  });
  const req = {
    resourceSpans: [
      { resource: { attributes: [str('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] },
    ],
  };
  return encodeProtobufRequest(req as unknown as OtlpTraceRequest);
}
