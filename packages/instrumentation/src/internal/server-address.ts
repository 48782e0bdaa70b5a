/** The last base URLs seen, parsed: a client's base URL rarely changes, and parsing one per call costs a URL. */
const parsed = new Map<string, { address: string; port: number } | undefined>();
const PARSED_LIMIT = 64;

/** `server.address` and `server.port` of a client's base URL; the port is the URL's or the scheme's default. */
export function serverOf(baseURL: unknown): { readonly address: string; readonly port: number } | undefined {
  if (typeof baseURL !== 'string' || baseURL === '') return undefined;
  if (parsed.has(baseURL)) return parsed.get(baseURL);
  const server = parse(baseURL);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(baseURL, server);
  return server;
}

function parse(baseURL: string): { address: string; port: number } | undefined {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  const address = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return Object.freeze({ address, port });
}
