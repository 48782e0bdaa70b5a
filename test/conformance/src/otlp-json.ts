/**
 * OTLP/JSON for the collector's door: the spans a producer's case recorded, as they were before the in-process
 * processor priced them, encoded as an OTLP/HTTP JSON request (hex ids, int64 as decimal strings); and the
 * attributes of the spans an OTLP/JSON request carries, as plain values.
 */
import type { RecordedSpan } from './run-producer.ts';

type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { stringValue: String(value) };
}

const nanos = ([s, ns]: [number, number]) => (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString();

/**
 * `instance` names the producer's process (`service.instance.id`): each producer ran in a process of its own, and
 * a real SDK's resource tells processes apart the same way.
 */
export function otlpRequest(spans: RecordedSpan[], instance: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'conformance' } },
            { key: 'service.instance.id', value: { stringValue: instance } },
          ],
        },
        scopeSpans: [...new Set(spans.map((s) => s.scope))].map((scope) => ({
          scope: { name: scope },
          spans: spans
            .filter((s) => s.scope === scope)
            .map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: s.kind + 1,
              startTimeUnixNano: nanos(s.startTime),
              endTimeUnixNano: nanos(s.endTime),
              attributes: Object.entries(s.raw).map(([key, value]) => ({ key, value: anyValue(value) })),
            })),
        })),
      },
    ],
  });
}

function plain(value: Record<string, unknown> | undefined): unknown {
  if (value === undefined) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) {
    const values = (value.arrayValue as { values?: Record<string, unknown>[] }).values ?? [];
    return values.map((v) => plain(v));
  }
  return undefined;
}

export interface ExportedSpan {
  spanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

interface JsonSpan {
  spanId: string;
  name: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}

/** The spans of one OTLP/JSON request, ids in hex. */
export function exportedSpans(body: string): ExportedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: JsonSpan[] }> }>;
  };
  const out: ExportedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        out.push({
          spanId: span.spanId,
          name: span.name,
          attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, plain(a.value)])),
        });
      }
    }
  }
  return out;
}
