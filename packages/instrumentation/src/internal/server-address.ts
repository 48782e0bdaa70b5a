/** `server.address` and `server.port` of a client's base URL; the port is the URL's or the scheme's default. */
export function serverOf(baseURL: unknown): { address: string; port: number } | undefined {
  if (typeof baseURL !== 'string' || baseURL === '') return undefined;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  const address = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { address, port };
}
