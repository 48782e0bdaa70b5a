import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { defaultCollectorConfig, forwardConfig } from '../src/config.js';
import { decodeProtobufRequest } from '../src/otlp/codec.js';
import { bearerAuth } from '../src/server/auth.js';
import type { CollectorConfig, RunningCollector } from '../src/types.js';
import { get, post, waitFor } from './helpers.js';

const json = { 'content-type': 'application/json' };

function span(i: number, extra: Record<string, unknown> = {}) {
  return {
    traceId: 'aa'.repeat(16),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `span ${i}`,
    startTimeUnixNano: '1759320000000000000',
    endTimeUnixNano: '1759320000100000000',
    ...extra,
  };
}

function body(spans: unknown[]): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

/** An upstream that keeps the raw bodies, to check the bytes that went out. */
async function rawUpstream(): Promise<{ url: string; bodies: Buffer[]; close(): Promise<void> }> {
  const bodies: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function config(overrides: Partial<CollectorConfig['receiver']> = {}): CollectorConfig {
  return {
    ...defaultCollectorConfig(),
    receiver: { endpoint: '127.0.0.1:0', maxBodyBytes: 1 << 20, ...overrides },
    telemetry: { prometheus: false },
  };
}

describe('wire hygiene', () => {
  let collector: RunningCollector | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
    for (const c of cleanups.splice(0)) await c();
  });

  it('sends a byte-exact Content-Length when an error message holds non-ASCII text', async () => {
    collector = await startCollector(config(), { log: () => {} });
    const r = await post(`${collector.url}/v1/traces`, '{"resourceSpans": "ünïcödé ✓ 日本"}', json);
    expect(r.status).toBe(400);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(JSON.parse(r.body.toString('utf8')).message).toMatch(/invalid OTLP\/JSON/);
  });

  it('forwards lone surrogates as U+FFFD, valid UTF-8, with every span of the batch', async () => {
    const up = await rawUpstream();
    cleanups.push(up.close);
    const c = config();
    c.forward = [forwardConfig('otlphttp/raw', up.url, { persistent: false })];
    collector = await startCollector(c, { log: () => {} });
    const spans = Array.from({ length: 50 }, (_, i) => span(i));
    spans[7] = span(7, {
      name: 'bad \ud800 name',
      attributes: [{ key: 'k\udfff', value: { stringValue: 'v\ud83d' } }],
    });
    const text = body(spans).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    expect((await post(`${collector.url}/v1/traces`, text, json)).status).toBe(200);
    await waitFor(() => up.bodies.length === 1, 10_000, 'the forwarded batch');
    const raw = up.bodies[0]!;
    // U+FFFD as UTF-8, and none of the surrogates' invalid 3-byte forms (ED A0 80, ED BF BF, ED A0 BD).
    expect(raw.includes(Buffer.from('bad \ufffd name', 'utf8'))).toBe(true);
    for (const bad of [
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xed, 0xa0, 0xbd],
    ]) {
      expect(raw.includes(Buffer.from(bad))).toBe(false);
    }
    const forwarded = decodeProtobufRequest(raw).resourceSpans![0]!.scopeSpans![0]!.spans!;
    expect(forwarded).toHaveLength(50);
    expect(forwarded[7]!.name).toBe('bad \ufffd name');
    expect(forwarded[7]!.attributes![0]!.key).toBe('k\ufffd');
    expect(forwarded[7]!.attributes![0]!.value!.stringValue).toBe('v\ufffd');
  });

  it('rejects a span over the attribute limit through partial success and counts it; others pass', async () => {
    collector = await startCollector(config({ maxAttributesPerSpan: 100 }), { log: () => {} });
    const attributes = Array.from({ length: 101 }, (_, i) => ({ key: `a${i}`, value: { intValue: String(i) } }));
    const r = await post(`${collector.url}/v1/traces`, body([span(0, { attributes }), span(1), span(2)]), json);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString('utf8')).partialSuccess).toMatchObject({
      rejectedSpans: '1',
      errorMessage: expect.stringMatching(/more than 100 attributes/),
    });
    expect(collector.stats()).toMatchObject({ received: 2, rejected: 1 });
  });

  it('answers 413 for a request over the span limit, counted as rejected', async () => {
    collector = await startCollector(config({ maxSpansPerRequest: 3 }), { log: () => {} });
    const r = await post(`${collector.url}/v1/traces`, body([0, 1, 2, 3].map((i) => span(i))), json);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body.toString('utf8')).message).toMatch(/4 spans, over the limit of 3/);
    expect(collector.stats()).toMatchObject({ received: 0, rejected: 4 });
  });

  it('closes idle connections after the idle timeout, so /health stays reachable', async () => {
    collector = await startCollector(config({ idleTimeoutMs: 200, headersTimeoutMs: 200, maxConnections: 8 }), {
      log: () => {},
    });
    const { port } = new URL(collector.url);
    const sockets: Socket[] = [];
    const closed: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => {});
      s.on('close', () => closed.push(true));
      sockets.push(s);
    }
    await waitFor(() => closed.length === 8, 10_000, 'the server to close idle connections');
    expect((await get(`${collector.url}/health`)).status).toBe(200);
    for (const s of sockets) s.destroy();
  });
});

describe('security defaults', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('compares the bearer token in constant time and accepts only the exact value', () => {
    const check = bearerAuth('s3cret');
    const req = (authorization?: string) =>
      ({ headers: authorization === undefined ? {} : { authorization } }) as never;
    expect(check(req('Bearer s3cret'))).toBe(true);
    expect(check(req('Bearer s3cre'))).toBe(false);
    expect(check(req('Bearer s3cret-and-more'))).toBe(false);
    expect(check(req('bearer s3cret'))).toBe(false);
    expect(check(req())).toBe(false);
    expect(bearerAuth(undefined)(req())).toBe(true);
  });

  it('answers 401 before reading the body and closes the connection', async () => {
    collector = await startCollector(config({ authToken: 't0k' }), { log: () => {} });
    const { port } = new URL(collector.url);
    const socket = connect(Number(port), '127.0.0.1');
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      // Announces 10 MB and sends none of it: only an answer that does not wait for the body arrives.
      socket.write(
        'POST /v1/traces HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10000000\r\n\r\n',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer.toLowerCase()).toContain('connection: close');
  });

  it('refuses to listen beyond loopback without a token unless told, and then warns', async () => {
    await expect(startCollector(config({ endpoint: '0.0.0.0:0' }), { log: () => {} })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0:0.*without an auth token/,
    );
    const logs: string[] = [];
    collector = await startCollector(config({ endpoint: '0.0.0.0:0', allowInsecure: true }), {
      log: (m) => logs.push(m),
    });
    expect(logs.join('\n')).toMatch(/warning: listening on 0\.0\.0\.0:0 .*without an auth token/);
    await collector.close();
    collector = await startCollector(config({ endpoint: '0.0.0.0:0', authToken: 't' }), { log: () => {} });
  });
});
