import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the fake provider: a JSON body, or a server-sent-event stream. */
export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | {
      status?: number;
      /** Raw SSE frames (each already ends with a blank line). */
      sse: string[];
      /** Keep the connection open after the frames (a stream the caller must abort). */
      hang?: boolean;
    };

export interface Received {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface FakeProvider {
  url: string;
  port: number;
  received: Received[];
  /** The answer to the next requests, by path suffix; a route answers until replaced. */
  route(pathSuffix: string, reply: Reply): void;
  close(): Promise<void>;
}

/** A local HTTP server that answers like an LLM provider, with recorded-format payloads. */
export async function startFakeProvider(): Promise<FakeProvider> {
  const routes = new Map<string, Reply>();
  const received: Received[] = [];
  const open = new Set<ServerResponse>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '').split('?')[0] ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = {};
    }
    received.push({ method: req.method ?? '', path, body });
    const match = [...routes.entries()].find(([suffix]) => path.endsWith(suffix));
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route for ${path}` } }));
      return;
    }
    const reply = match[1];
    if ('json' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.json));
      return;
    }
    res.writeHead(reply.status ?? 200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const frame of reply.sse) res.write(frame);
    if (reply.hang) {
      open.add(res);
      res.on('close', () => open.delete(res));
      return;
    }
    res.end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    route: (suffix, reply) => routes.set(suffix, reply),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** SSE frames `data: <json>` for each payload, in OpenAI's chat-stream style, ending with `[DONE]`. */
export function dataFrames(payloads: unknown[], done = true): string[] {
  const frames = payloads.map((p) => `data: ${JSON.stringify(p)}\n\n`);
  if (done) frames.push('data: [DONE]\n\n');
  return frames;
}

/** SSE frames `event: <type>` + `data: <json>` (Responses API, Anthropic Messages). */
export function eventFrames(payloads: Array<{ type: string }>): string[] {
  return payloads.map((p) => `event: ${p.type}\ndata: ${JSON.stringify(p)}\n\n`);
}
