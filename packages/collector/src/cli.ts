import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '@costspan/config';
import { startCollector } from './collector.js';
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
import { costStages } from './cost-stage.js';
import { parseDuration } from './duration.js';
import { parseListen } from './endpoint.js';
import type { ReportQueryAnswerer } from './report-endpoint.js';
import type { CollectorConfig } from './types.js';

export const COLLECTOR_USAGE = `Usage: costspan-collector [options]

Receives OTLP/HTTP traces, prices inference spans (tokens and GPU node time), stores them and forwards
everything to your backend.

  --listen HOST:PORT          where to listen (default 127.0.0.1:4318)
  --forward URL               upstream OTLP/HTTP endpoint; repeat for several (base URL gets /v1/traces)
  --forward-protocol P        http/protobuf (default) or http/json, for --forward endpoints
  --forward-header K=V        header sent upstream; repeatable
  --store FILE                DuckDB store file (one row per inference span, per-window GPU node records)
  --config FILE               YAML config: receivers/processors/exporters/service plus the COSTSPAN_CONFIG sections
  --auth-token-file FILE      require "Authorization: Bearer <token in FILE>" on /v1/traces
                              and on report and budget queries
                              (or COSTSPAN_COLLECTOR_AUTH_TOKEN; --auth-token TOKEN shows in ps)
  --forward-header-file FILE  headers sent upstream, K=V per line (or COSTSPAN_COLLECTOR_FORWARD_HEADERS=K=V,K2=V2)
  --allow-insecure            listen beyond loopback without a token (refused otherwise)
  --max-body-bytes N          largest accepted request body (default 16777216)
  --queue-size N              spans each upstream queue holds before answering 503 (default 100000)
  --queue-bytes N             bytes each upstream queue holds before answering 503 (default 268435456)
  --data-dir DIR              where the persistent upstream queues live (default: beside --store as
                              FILE.data, else $XDG_STATE_HOME/costspan or ~/.local/state/costspan)
  --no-persistent-queue       keep upstream queues in memory only (queued spans are lost at a crash or stop)
  --shutdown-timeout D        how long a stop drains upstream queues, e.g. 10s (default); the rest stays queued
  --debug                     print a line per request and per span to stdout
  -h, --help                  show this help
`;

/** Builds the configuration from flags (over the YAML file when --config is given). */
export function collectorConfigFromArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CollectorConfig {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new CollectorConfigError('arguments', (error as Error).message);
  }
  const config = values.config ? loadCollectorConfig(values.config, env) : defaultCollectorConfig();
  if (values.listen !== undefined) {
    parseListen(values.listen, '--listen');
    config.receiver.endpoint = values.listen;
  }
  const envToken = env.COSTSPAN_COLLECTOR_AUTH_TOKEN;
  if (envToken !== undefined && envToken !== '') config.receiver.authToken = envToken;
  if (values['auth-token'] !== undefined && values['auth-token-file'] !== undefined) {
    throw new CollectorConfigError('--auth-token-file', 'give --auth-token or --auth-token-file, not both');
  }
  if (values['auth-token'] !== undefined) config.receiver.authToken = values['auth-token'];
  if (values['auth-token-file'] !== undefined) {
    config.receiver.authToken = readSecretFile(values['auth-token-file'], '--auth-token-file');
  }
  if (values['allow-insecure']) config.receiver.allowInsecure = true;
  if (values['max-body-bytes'] !== undefined) {
    config.receiver.maxBodyBytes = positiveInteger(values['max-body-bytes'], '--max-body-bytes');
  }
  const protocol =
    values['forward-protocol'] === undefined
      ? 'http/protobuf'
      : encoding(values['forward-protocol'], '--forward-protocol');
  const headers: Record<string, string> = {};
  const envHeaders = env.COSTSPAN_COLLECTOR_FORWARD_HEADERS;
  if (envHeaders !== undefined && envHeaders.trim() !== '') {
    Object.assign(headers, parseHeaderList(envHeaders, 'COSTSPAN_COLLECTOR_FORWARD_HEADERS'));
  }
  if (values['forward-header-file'] !== undefined) {
    Object.assign(headers, readHeaderFile(values['forward-header-file'], '--forward-header-file'));
  }
  for (const header of values['forward-header'] ?? []) {
    const eq = header.indexOf('=');
    if (eq <= 0) throw new CollectorConfigError('--forward-header', `expected key=value, got '${header}'`);
    headers[header.slice(0, eq).trim()] = header.slice(eq + 1);
  }
  (values.forward ?? []).forEach((url, i) => {
    config.forward.push(forwardConfig(`otlphttp/forward-${i + 1}`, urlFor(url), { protocol, headers: { ...headers } }));
  });
  if (values['queue-size'] !== undefined) {
    const size = positiveInteger(values['queue-size'], '--queue-size');
    for (const f of config.forward) f.queueSize = size;
  }
  if (values['queue-bytes'] !== undefined) {
    const bytes = positiveInteger(values['queue-bytes'], '--queue-bytes');
    for (const f of config.forward) f.queueBytes = bytes;
  }
  if (values['no-persistent-queue']) {
    if (values['data-dir'] !== undefined) {
      throw new CollectorConfigError('--data-dir', 'has no use with --no-persistent-queue');
    }
    for (const f of config.forward) f.persistent = false;
  }
  if (values['data-dir'] !== undefined) config.dataDir = resolve(values['data-dir']);
  if (values['shutdown-timeout'] !== undefined) {
    config.shutdownTimeoutMs = parseDuration(values['shutdown-timeout'], '--shutdown-timeout');
  }
  if (values.store !== undefined) config.store = { path: values.store };
  if (values.debug) config.debug = { verbosity: 'detailed' };
  return config;
}

/** `K=V,K2=V2` (the OTEL_EXPORTER_OTLP_HEADERS form, values percent-decoded); errors never echo values. */
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

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      listen: { type: 'string' },
      forward: { type: 'string', multiple: true },
      'forward-protocol': { type: 'string' },
      'forward-header': { type: 'string', multiple: true },
      store: { type: 'string' },
      config: { type: 'string' },
      'auth-token': { type: 'string' },
      'auth-token-file': { type: 'string' },
      'forward-header-file': { type: 'string' },
      'allow-insecure': { type: 'boolean' },
      'queue-bytes': { type: 'string' },
      'data-dir': { type: 'string' },
      'no-persistent-queue': { type: 'boolean' },
      'shutdown-timeout': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'queue-size': { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export interface CollectorCommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Resolves when the process should stop; default: the first SIGTERM or SIGINT. */
  stopSignal?: Promise<unknown>;
  /** Serves report queries on the store (`costspan collector` passes @costspan/reporting's). */
  answerReportQuery?: ReportQueryAnswerer;
}

/**
 * `costspan collector …` / `costspan-collector …`: runs until SIGTERM or SIGINT, then shuts down gracefully
 * (flushes allocation windows, drains upstream queues, closes the store). Resolves with the exit code:
 * 0 after a clean stop, 2 for an invalid configuration (the message names the key), 1 when it cannot start.
 */
export async function runCollectorCommand(argv: readonly string[], io: CollectorCommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout(COLLECTOR_USAGE);
    return 0;
  }
  let config: CollectorConfig;
  let stages: ReturnType<typeof costStages>;
  try {
    config = collectorConfigFromArgs(argv);
    stages = costStages(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`costspan-collector: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let running: Awaited<ReturnType<typeof startCollector>>;
  try {
    running = await startCollector(config, {
      stages,
      log: (m) => stderr(`costspan-collector: ${m}\n`),
      answerReportQuery: io.answerReportQuery,
    });
  } catch (error) {
    stderr(`costspan-collector: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  stderr(
    `costspan-collector: listening on ${running.url}/v1/traces` +
      (config.forward.length ? `, forwarding to ${config.forward.map((f) => f.url).join(', ')}` : '') +
      (config.store ? `, store ${config.store.path}` : '') +
      '\n',
  );
  const stop =
    io.stopSignal ??
    new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
  await stop;
  stderr('costspan-collector: shutting down (finishing requests and store writes, draining queues)\n');
  await running.close();
  const s = running.stats();
  stderr(
    `costspan-collector: stopped; received ${s.received}, priced ${s.priced}, unpriced ${s.unpriced}, ` +
      `stored ${s.stored}, refused ${s.refused}; upstream: delivered ${s.delivered}, persisted ${s.persisted}, ` +
      `dropped ${s.dropped}\n`,
  );
  return 0;
}
