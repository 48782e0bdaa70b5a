import { CollectorConfigError } from './config-error.js';

/** Splits `host:port` (IPv6 as `[::1]:4318`). */
export function parseListen(value: string, key: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65_535) {
    throw new CollectorConfigError(key, `expected host:port such as 127.0.0.1:4318, got '${value}'`);
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

/** An upstream traces URL; a base URL without a path gets `/v1/traces`, as the OTel Collector's otlphttp does. */
export function tracesUrl(value: unknown, key: string): string {
  if (typeof value !== 'string' || value === '') throw new CollectorConfigError(key, 'expected an http(s) URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CollectorConfigError(key, `not a URL: '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CollectorConfigError(key, `only http and https are supported, got '${url.protocol}'`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}
