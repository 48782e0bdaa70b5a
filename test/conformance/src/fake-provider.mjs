// The far side of the network boundary: a loopback HTTP server that answers like OpenAI and Anthropic, with
// payloads in the providers' recorded formats (fixtures.mjs). A request with `stream: true` gets server-sent
// events, any other a JSON body. Each answer gets a response id of its own (the fixture's id + a tag of this server
// + a sequence number), as the real APIs give, so calls are told apart by id — also at the one collector that
// receives the spans of every producer's process.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * @param {Record<string, { id: string, json: unknown, sse: string[], models?: Record<string, unknown> }>} routes
 *   path suffix → answers (`models`: another JSON answer for a request naming that model)
 */
export async function startFakeProvider(routes) {
  let sequence = 0;
  const tag = randomBytes(4).toString('hex');
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const route = Object.entries(routes).find(([suffix]) => path.endsWith(suffix))?.[1];
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route for ${path}` } }));
        return;
      }
      /** @type {{ stream?: boolean, model?: string }} */
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        body = {};
      }
      const id = `${route.id}${tag}${(++sequence).toString().padStart(4, '0')}`;
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const frame of route.sse) res.write(frame.replaceAll(route.id, id));
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(route.models?.[body.model] ?? route.json).replaceAll(route.id, id));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise(
        /** @param {(value?: void) => void} resolve */ (resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        },
      ),
  };
}

/** SSE frames `data: <json>` in OpenAI's chat-stream style, ending with `[DONE]`. */
export function dataFrames(payloads) {
  return [...payloads.map((p) => `data: ${JSON.stringify(p)}\n\n`), 'data: [DONE]\n\n'];
}

/** SSE frames `event: <type>` + `data: <json>` (Anthropic Messages). */
export function eventFrames(payloads) {
  return payloads.map((p) => `event: ${p.type}\ndata: ${JSON.stringify(p)}\n\n`);
}
