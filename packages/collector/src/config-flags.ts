/** The collector's configuration from its command-line flags, over the YAML file and the environment. */
import { resolve } from 'node:path';
import {
  defaultCollectorConfig,
  encoding,
  forwardConfig,
  loadCollectorConfig,
  positiveInteger,
  readHeaderFile,
  readSecretFile,
} from './config.js';
import { CollectorConfigError } from './config-error.js';
import { parseDuration } from './duration.js';
import { parseListen } from './endpoint.js';
import type { CollectorConfig } from './types.js';

/** The flags of `costspan collector`, parsed: each field is the flag of the same name (`--forward-header` is `forwardHeaders`). */
export interface CollectorFlags {
  listen?: string;
  forward?: string[];
  forwardProtocol?: string;
  forwardHeaders?: string[];
  store?: string;
  config?: string;
  authToken?: string;
  authTokenFile?: string;
  forwardHeaderFile?: string;
  allowInsecure?: boolean;
  queueBytes?: string;
  dataDir?: string;
  noPersistentQueue?: boolean;
  shutdownTimeout?: string;
  maxBodyBytes?: string;
  queueSize?: string;
  debug?: boolean;
}

/**
 * The configuration of `costspan collector` / `costspan-collector`: the flags (named as in its help) over the YAML
 * file when `config` is given, and the COSTSPAN_COLLECTOR_* environment variables. Problems name the flag.
 */
export function collectorConfigFromFlags(flags: CollectorFlags, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const config = flags.config ? loadCollectorConfig(flags.config, env) : defaultCollectorConfig();
  if (flags.listen !== undefined) {
    parseListen(flags.listen, '--listen');
    config.receiver.endpoint = flags.listen;
  }
  const envToken = env.COSTSPAN_COLLECTOR_AUTH_TOKEN;
  if (envToken !== undefined && envToken !== '') config.receiver.authToken = envToken;
  if (flags.authToken !== undefined && flags.authTokenFile !== undefined) {
    throw new CollectorConfigError('--auth-token-file', 'give --auth-token or --auth-token-file, not both');
  }
  if (flags.authToken !== undefined) config.receiver.authToken = flags.authToken;
  if (flags.authTokenFile !== undefined) {
    config.receiver.authToken = readSecretFile(flags.authTokenFile, '--auth-token-file');
  }
  if (flags.allowInsecure) config.receiver.allowInsecure = true;
  if (flags.maxBodyBytes !== undefined) {
    config.receiver.maxBodyBytes = positiveInteger(flags.maxBodyBytes, '--max-body-bytes');
  }
  const protocol =
    flags.forwardProtocol === undefined ? 'http/protobuf' : encoding(flags.forwardProtocol, '--forward-protocol');
  const headers: Record<string, string> = {};
  const envHeaders = env.COSTSPAN_COLLECTOR_FORWARD_HEADERS;
  if (envHeaders !== undefined && envHeaders.trim() !== '') {
    Object.assign(headers, parseHeaderList(envHeaders, 'COSTSPAN_COLLECTOR_FORWARD_HEADERS'));
  }
  if (flags.forwardHeaderFile !== undefined) {
    Object.assign(headers, readHeaderFile(flags.forwardHeaderFile, '--forward-header-file'));
  }
  for (const header of flags.forwardHeaders ?? []) {
    const eq = header.indexOf('=');
    if (eq <= 0) throw new CollectorConfigError('--forward-header', `expected key=value, got '${header}'`);
    headers[header.slice(0, eq).trim()] = header.slice(eq + 1);
  }
  (flags.forward ?? []).forEach((url, i) => {
    config.forward.push(forwardConfig(`otlphttp/forward-${i + 1}`, urlFor(url), { protocol, headers: { ...headers } }));
  });
  if (flags.queueSize !== undefined) {
    const size = positiveInteger(flags.queueSize, '--queue-size');
    for (const f of config.forward) f.queueSize = size;
  }
  if (flags.queueBytes !== undefined) {
    const bytes = positiveInteger(flags.queueBytes, '--queue-bytes');
    for (const f of config.forward) f.queueBytes = bytes;
  }
  if (flags.noPersistentQueue) {
    if (flags.dataDir !== undefined) {
      throw new CollectorConfigError('--data-dir', 'has no use with --no-persistent-queue');
    }
    for (const f of config.forward) f.persistent = false;
  }
  if (flags.dataDir !== undefined) config.dataDir = resolve(flags.dataDir);
  if (flags.shutdownTimeout !== undefined) {
    config.shutdownTimeoutMs = parseDuration(flags.shutdownTimeout, '--shutdown-timeout');
  }
  if (flags.store !== undefined) config.store = { path: flags.store };
  if (flags.debug) config.debug = { verbosity: 'detailed' };
  return config;
}

/** `K=V,K2=V2` (the OTEL_EXPORTER_OTLP_HEADERS form, values percent-decoded); errors never echo flags. */
function parseHeaderList(text: string, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(',').forEach((item, i) => {
    if (item.trim() === '') return;
    const eq = item.indexOf('=');
    const name = eq <= 0 ? '' : item.slice(0, eq).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new CollectorConfigError(key, `entry ${i + 1}: expected header-name=value`);
    }
    let value = item.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      throw new CollectorConfigError(key, `entry ${i + 1} (${name}): invalid percent-encoding`);
    }
    out[name] = value;
  });
  return out;
}

function urlFor(url: string): string {
  try {
    forwardConfig('--forward', url);
  } catch (error) {
    if (error instanceof CollectorConfigError)
      throw new CollectorConfigError('--forward', error.message.replace(/^.*?--forward: /, ''));
    throw error;
  }
  return url;
}
