/** A local OTLP/HTTP receiver for http/json exports: keeps every span and metric it is sent, decoded. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };
export type Attributes = Record<string, unknown>;

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
}

export interface ReceivedMetric {
  name: string;
  unit?: string;
  resource: Attributes;
  points: { attributes: Attributes; value: unknown }[];
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  requests: { path: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
}

function decode(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decode);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Attributes {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, decode(kv.value)]));
}

// biome-ignore lint/suspicious/noExplicitAny: OTLP JSON as parsed
type Json = any;

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetric[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const path = req.url ?? '';
    requests.push({ path, headers: req.headers });
    const doc: Json = body === '' ? {} : JSON.parse(body);
    if (path === '/v1/traces') {
      for (const rs of doc.resourceSpans ?? []) {
        const resource = attributes(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              name: s.name,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              kind: s.kind,
              attributes: attributes(s.attributes),
              resource,
              scope: ss.scope?.name ?? '',
            });
          }
        }
      }
    } else if (path === '/v1/metrics') {
      for (const rm of doc.resourceMetrics ?? []) {
        const resource = attributes(rm.resource?.attributes);
        for (const sm of rm.scopeMetrics ?? []) {
          for (const m of sm.metrics ?? []) {
            const data = m.sum ?? m.histogram ?? m.gauge ?? {};
            metrics.push({
              name: m.name,
              unit: m.unit,
              resource,
              points: (data.dataPoints ?? []).map((p: Json) => ({
                attributes: attributes(p.attributes),
                value: p.asDouble ?? p.asInt ?? { count: Number(p.count), sum: p.sum },
              })),
            });
          }
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
