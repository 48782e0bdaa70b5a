import type { OtlpTraceRequest } from './model.js';
import { otlpTypes } from './proto-root.js';

/** A body that is not a valid ExportTraceServiceRequest; the receiver answers 400 with `message`. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

export function decodeProtobufRequest(body: Uint8Array): OtlpTraceRequest {
  try {
    return otlpTypes().request.decode(body) as unknown as OtlpTraceRequest;
  } catch (error) {
    throw new OtlpDecodeError(`invalid protobuf ExportTraceServiceRequest: ${describe(error)}`);
  }
}

/**
 * Decodes an OTLP/JSON body: lowerCamelCase field names, trace and span ids as hex strings, 64-bit integers as
 * decimal strings or numbers, enums as integers (names are accepted too), `bytesValue` as base64.
 */
export function decodeJsonRequest(text: string): OtlpTraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${describe(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OtlpDecodeError('invalid OTLP/JSON: the body must be an ExportTraceServiceRequest object');
  }
  try {
    hexIdsToBytes(parsed as Record<string, unknown>);
    return otlpTypes().request.fromObject(parsed as Record<string, unknown>) as unknown as OtlpTraceRequest;
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`invalid OTLP/JSON ExportTraceServiceRequest: ${describe(error)}`);
  }
}

export function encodeProtobufRequest(request: OtlpTraceRequest): Uint8Array {
  const type = otlpTypes().request;
  return type.encode(request as unknown as Record<string, unknown>).finish();
}

/** Encodes the request as OTLP/JSON (hex ids, int64 as strings, enums as integers). */
export function encodeJsonRequest(request: OtlpTraceRequest): string {
  const type = otlpTypes().request;
  const object = type.toObject(type.fromObject(request as unknown as Record<string, unknown>), {
    longs: String,
    enums: Number,
    bytes: String,
  });
  base64IdsToHex(object);
  return JSON.stringify(object);
}

export function encodeProtobufResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const { response } = otlpTypes();
  const body = rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
  return response.encode(response.fromObject(body)).finish();
}

export function encodeJsonResponse(rejectedSpans: number, errorMessage: string): string {
  return JSON.stringify(
    rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {},
  );
}

/** google.rpc.Status, the body of every OTLP/HTTP error response. */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  const { status } = otlpTypes();
  return status.encode(status.fromObject({ code, message })).finish();
}

export function encodeJsonStatus(code: number, message: string): string {
  return JSON.stringify({ code, message });
}

const HEX = /^[0-9a-fA-F]*$/;

function hexToBytes(value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  if (value.length % 2 !== 0 || !HEX.test(value)) {
    throw new OtlpDecodeError(`invalid OTLP/JSON: ${path} must be a hex string, got '${value.slice(0, 64)}'`);
  }
  return Buffer.from(value, 'hex');
}

function hexIdsToBytes(request: Record<string, unknown>): void {
  forEachSpan(request, (span, path) => {
    span.traceId = hexToBytes(span.traceId, `${path}.traceId`);
    span.spanId = hexToBytes(span.spanId, `${path}.spanId`);
    span.parentSpanId = hexToBytes(span.parentSpanId, `${path}.parentSpanId`);
    const links = span.links;
    if (Array.isArray(links)) {
      links.forEach((link: unknown, i) => {
        if (!isObject(link)) return;
        link.traceId = hexToBytes(link.traceId, `${path}.links[${i}].traceId`);
        link.spanId = hexToBytes(link.spanId, `${path}.links[${i}].spanId`);
      });
    }
  });
}

function base64ToHex(value: unknown): unknown {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : value;
}

function base64IdsToHex(request: Record<string, unknown>): void {
  forEachSpan(request, (span) => {
    span.traceId = base64ToHex(span.traceId);
    span.spanId = base64ToHex(span.spanId);
    if (span.parentSpanId !== undefined) span.parentSpanId = base64ToHex(span.parentSpanId);
    if (Array.isArray(span.links)) {
      for (const link of span.links) {
        if (!isObject(link)) continue;
        link.traceId = base64ToHex(link.traceId);
        link.spanId = base64ToHex(link.spanId);
      }
    }
  });
}

function forEachSpan(request: Record<string, unknown>, fn: (span: Record<string, unknown>, path: string) => void) {
  const resourceSpans = request.resourceSpans;
  if (!Array.isArray(resourceSpans)) return;
  resourceSpans.forEach((rs: unknown, i) => {
    if (!isObject(rs) || !Array.isArray(rs.scopeSpans)) return;
    rs.scopeSpans.forEach((ss: unknown, j) => {
      if (!isObject(ss) || !Array.isArray(ss.spans)) return;
      ss.spans.forEach((span: unknown, k) => {
        if (isObject(span)) fn(span, `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`);
      });
    });
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
