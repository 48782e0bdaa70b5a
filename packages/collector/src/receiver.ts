import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip, inflate } from 'node:zlib';
import {
  encodeJsonResponse,
  encodeJsonStatus,
  encodeProtobufResponse,
  encodeProtobufStatus,
  OtlpDecodeError,
} from './otlp/codec.js';

/** google.rpc.Code values used in error bodies. */
export const RPC_INVALID_ARGUMENT = 3;
export const RPC_RESOURCE_EXHAUSTED = 8;
export const RPC_UNAUTHENTICATED = 16;
export const RPC_UNAVAILABLE = 14;
export const RPC_UNIMPLEMENTED = 12;

export type BodyFormat = 'protobuf' | 'json';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
    /** Close the connection after answering (the rest of the body is not read). */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

/** The body format named by Content-Type, or a 415. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new HttpError(
    415,
    RPC_INVALID_ARGUMENT,
    `unsupported content type '${contentType ?? ''}': use application/x-protobuf or application/json`,
  );
}

/**
 * Reads a request body of at most `maxBytes`, compressed or not; stops reading as soon as the limit is passed
 * (413). gzip and deflate are decompressed with the same limit on their output.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
    throw new HttpError(415, RPC_INVALID_ARGUMENT, `unsupported content encoding '${encoding}': use gzip or none`);
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', reject);
    request.once('aborted', () => reject(new HttpError(400, RPC_INVALID_ARGUMENT, 'request aborted')));
  });
  if (encoding === 'identity') return raw;
  const decompress = encoding === 'gzip' ? gunzip : inflate;
  return new Promise<Buffer>((resolve, reject) => {
    decompress(raw, { maxOutputLength: maxBytes }, (error, out) => {
      if (!error) return resolve(out);
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return reject(tooLarge(maxBytes));
      reject(new HttpError(400, RPC_INVALID_ARGUMENT, `invalid ${encoding} body: ${error.message}`));
    });
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    RPC_INVALID_ARGUMENT,
    `request body exceeds the limit of ${maxBytes} bytes`,
    undefined,
    true,
  );
}

/** Answers an export with ExportTraceServiceResponse in the request's own format. */
export function sendExportResponse(
  response: ServerResponse,
  format: BodyFormat,
  rejectedSpans: number,
  errorMessage: string,
): void {
  const body =
    format === 'protobuf'
      ? encodeProtobufResponse(rejectedSpans, errorMessage)
      : encodeJsonResponse(rejectedSpans, errorMessage);
  response.writeHead(200, {
    'content-type': format === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'content-length': byteLength(body),
  });
  response.end(body);
}

/** Answers an error with a google.rpc.Status body, protobuf when the request was protobuf, JSON otherwise. */
export function sendError(response: ServerResponse, format: BodyFormat | undefined, error: unknown): void {
  const e =
    error instanceof HttpError
      ? error
      : error instanceof OtlpDecodeError
        ? new HttpError(400, RPC_INVALID_ARGUMENT, error.message)
        : new HttpError(500, 13, 'internal error');
  const body =
    format === 'protobuf' ? encodeProtobufStatus(e.rpcCode, e.message) : encodeJsonStatus(e.rpcCode, e.message);
  const headers: Record<string, string | number> = {
    'content-type': format === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'content-length': byteLength(body),
  };
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  if (e.closeConnection) headers.connection = 'close';
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(e.status, headers);
  response.end(body);
}

/** Bytes on the wire: UTF-8 length for a string (`string.length` counts UTF-16 units). */
function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}
