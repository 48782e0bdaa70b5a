import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attributesToPlain, type PlainAttributes } from '../src/otlp/attributes.js';
import { decodeJsonRequest, decodeProtobufRequest } from '../src/otlp/codec.js';
import type { OtlpTraceRequest } from '../src/otlp/model.js';
import { flattenRequest } from '../src/otlp/spans.js';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  name: string;
  attributes: PlainAttributes;
  resource: PlainAttributes;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** POSTs a body over loopback and collects the answer (or the socket error). */
export function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The far side of the network boundary: a minimal OTLP/HTTP traces endpoint that records what it accepts.
 * `respond` can answer a request with another status (e.g. 503) to simulate an unhealthy backend.
 */
export class TestUpstream {
  readonly requests: OtlpTraceRequest[] = [];
  readonly contentTypes: string[] = [];
  readonly headers: Array<Record<string, string | string[] | undefined>> = [];
  respond: ((n: number) => { status: number; retryAfter?: string } | undefined) | undefined;
  private server: Server | undefined;
  private attempts = 0;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const override = this.respond?.(++this.attempts);
        if (override) {
          res.writeHead(override.status, override.retryAfter ? { 'retry-after': override.retryAfter } : {});
          res.end();
          return;
        }
        const body = Buffer.concat(chunks);
        const type = String(req.headers['content-type']);
        this.contentTypes.push(type);
        this.headers.push(req.headers);
        this.requests.push(
          type.includes('json') ? decodeJsonRequest(body.toString('utf8')) : decodeProtobufRequest(body),
        );
        res.writeHead(200, { 'content-type': type });
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  spans(): ReceivedSpan[] {
    const out: ReceivedSpan[] = [];
    for (const request of this.requests) {
      for (const ref of flattenRequest(request).spans) {
        out.push({
          traceId: ref.traceId,
          spanId: ref.spanId,
          name: ref.span.name ?? '',
          attributes: attributesToPlain(ref.span.attributes),
          resource: attributesToPlain(ref.resourceAttributes),
        });
      }
    }
    return out;
  }

  span(name: string): ReceivedSpan {
    const found = this.spans().find((s) => s.name === name);
    if (!found) throw new Error(`upstream received no span named '${name}'`);
    return found;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
