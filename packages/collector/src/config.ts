import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type AttributionConfig,
  type ConfigProblem,
  parseAttribution,
  parseCompat,
  parseSharedConfig,
  readConfigFile,
} from '@costspan/config';
import { componentSections } from './component-config.js';
import { CollectorConfigError } from './config-error.js';
import { parseDuration } from './duration.js';
import { parseListen, tracesUrl } from './endpoint.js';
import type {
  CollectorConfig,
  DebugConfig,
  ForwardConfig,
  ForwardProtocol,
  RetryConfig,
  TelemetryConfig,
} from './types.js';

export const DEFAULT_LISTEN = '127.0.0.1:4318';
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 100_000;
export const DEFAULT_QUEUE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_RETRY: Readonly<RetryConfig> = {
  initialIntervalMs: 1_000,
  maxIntervalMs: 30_000,
  maxElapsedMs: 0,
};

export function defaultCollectorConfig(): CollectorConfig {
  return {
    receiver: { endpoint: DEFAULT_LISTEN, maxBodyBytes: DEFAULT_MAX_BODY_BYTES },
    costing: true,
    forward: [],
    telemetry: { prometheus: true },
    windowGraceMs: 120_000,
    nodeRecords: 'all',
    shutdownTimeoutMs: 10_000,
  };
}

export function forwardConfig(name: string, url: string, overrides: Partial<ForwardConfig> = {}): ForwardConfig {
  return {
    name,
    url: tracesUrl(url, name),
    protocol: 'http/protobuf',
    headers: {},
    queueSize: DEFAULT_QUEUE_SIZE,
    queueBytes: DEFAULT_QUEUE_BYTES,
    persistent: true,
    timeoutMs: 10_000,
    retry: { ...DEFAULT_RETRY },
    ...overrides,
  };
}

/**
 * Reads and validates a collector YAML (or JSON) file; throws CollectorConfigError listing every problem, each
 * naming its key.
 */
export function loadCollectorConfig(path: string, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const problems: ConfigProblem[] = [];
  const doc = readConfigFile(path, problems);
  if (problems.length > 0) {
    throw new CollectorConfigError(problems.map((p) => ({ path: '--config', message: `${path}: ${p.message}` })));
  }
  return collectorConfigFromObject(doc ?? {}, env, { baseDir: dirname(resolve(path)) });
}

export interface CollectorConfigSourceOptions {
  /**
   * Directory a relative `prices:` file path is resolved against: the configuration file's directory
   * (`loadCollectorConfig` passes it), as `@costspan/node` does for COSTSPAN_CONFIG. Default: the working directory.
   */
  baseDir?: string;
}

/**
 * Builds a configuration from a document shaped like an OTel Collector config
 * (`receivers`, `processors`, `exporters`, `service.pipelines.traces`) plus the shared COSTSPAN_CONFIG sections,
 * parsed by @costspan/config (`prices` as a mapping or a file path relative to `baseDir`, `gpu`, `attribution`,
 * `compat`, `budgets`). Sections this collector does not know are left to the other readers of the shared file;
 * unknown keys inside the collector's own sections are errors. `attribution` and `compat` may also be given under
 * `processors.costspan`; given in both places they must be equal. `${env:NAME}` is expanded in strings.
 * Throws one CollectorConfigError listing every problem found.
 */
export function collectorConfigFromObject(
  input: unknown,
  env: NodeJS.ProcessEnv = process.env,
  options: CollectorConfigSourceOptions = {},
): CollectorConfig {
  const problems: ConfigProblem[] = [];
  const doc = expandEnv(input, env, '', problems);
  const root = collect(problems, () => record(doc, '(root)'));
  if (root === undefined) throw new CollectorConfigError(problems);
  const config = defaultCollectorConfig();
  const baseDir = options.baseDir ?? process.cwd();
  const shared = parseSharedConfig(root, problems, { baseDir });
  if (shared.prices !== undefined) config.prices = shared.prices.file ?? shared.prices.overrides;
  if (shared.gpu !== undefined) config.gpu = shared.gpu;
  if (shared.attribution !== undefined) config.attribution = shared.attribution;
  if (shared.compat !== undefined) config.compat = shared.compat;
  config.budgets = shared.budgets ?? [];
  Object.assign(config, componentSections(root, problems));

  const section = (key: string) => collect(problems, () => optionalRecord(root[key], key)) ?? {};
  const receivers = section('receivers');
  const processors = section('processors');
  const exporters = section('exporters');
  const service = section('service');
  const pipeline = collect(problems, () => tracesPipeline(service));
  const traces = pipeline?.traces;

  const receiverNames = traces ? traces.receivers : Object.keys(receivers);
  receiverNames.forEach((name, i) => {
    const key = traces ? `service.pipelines.traces.receivers[${i}]` : `receivers.${name}`;
    collect(problems, () => {
      if (typeOf(name) !== 'otlp') throw new CollectorConfigError(key, `unknown receiver type '${name}' (only otlp)`);
      if (!(name in receivers) && traces)
        throw new CollectorConfigError(key, `receiver '${name}' is not defined under receivers`);
      applyOtlpReceiver(config, receivers[name], `receivers.${name}`);
    });
  });

  const processorNames = traces ? traces.processors : Object.keys(processors);
  // With a pipeline, costing is on only when it lists a costspan processor; without one, always on.
  config.costing = !traces || processorNames.some((n) => typeOf(n) === 'costspan');
  processorNames.forEach((name, i) => {
    const key = traces ? `service.pipelines.traces.processors[${i}]` : `processors.${name}`;
    collect(problems, () => {
      if (typeOf(name) !== 'costspan')
        throw new CollectorConfigError(key, `unknown processor type '${name}' (only costspan)`);
      if (traces && !(name in processors))
        throw new CollectorConfigError(key, `processor '${name}' is not defined under processors`);
      applyCostspanProcessor(config, processors[name], `processors.${name}`, shared.attribution, problems);
    });
  });

  const exporterNames = traces ? traces.exporters : Object.keys(exporters);
  exporterNames.forEach((name, i) => {
    const key = traces ? `service.pipelines.traces.exporters[${i}]` : `exporters.${name}`;
    collect(problems, () => {
      if (traces && !(name in exporters))
        throw new CollectorConfigError(key, `exporter '${name}' is not defined under exporters`);
      const path = `exporters.${name}`;
      const kind = typeOf(name);
      if (kind === 'otlphttp') config.forward.push(otlpHttpExporter(name, exporters[name], path));
      else if (kind === 'duckdb') config.store = duckdbExporter(exporters[name], path);
      else if (kind === 'debug') config.debug = debugExporter(exporters[name], path);
      else throw new CollectorConfigError(key, `unknown exporter type '${name}' (otlphttp, duckdb or debug)`);
    });
  });

  collect(problems, () => {
    config.telemetry = telemetry(optionalRecord(service.telemetry, 'service.telemetry'));
  });
  collect(problems, () => fileStorage(config, root.extensions, baseDir));
  if (problems.length > 0) throw new CollectorConfigError(problems);
  return config;
}

/**
 * Runs one step of reading the configuration; a CollectorConfigError it throws becomes problems, so the next step
 * still runs and every problem is reported at once.
 */
function collect<T>(problems: ConfigProblem[], step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof CollectorConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

interface TracesPipeline {
  receivers: string[];
  processors: string[];
  exporters: string[];
}

/** `service.pipelines.traces`, when the document has one (then it alone decides the components in use). */
function tracesPipeline(service: Record<string, unknown>): { traces?: TracesPipeline } {
  onlyKeys(service, 'service', ['pipelines', 'telemetry']);
  const pipelines = optionalRecord(service.pipelines, 'service.pipelines');
  for (const name of Object.keys(pipelines)) {
    if (name !== 'traces') {
      throw new CollectorConfigError(`service.pipelines.${name}`, 'only one pipeline, `traces`, is supported');
    }
  }
  if (pipelines.traces === undefined) return {};
  const traces = optionalRecord(pipelines.traces, 'service.pipelines.traces');
  onlyKeys(traces, 'service.pipelines.traces', ['receivers', 'processors', 'exporters']);
  const receivers = names(traces.receivers, 'service.pipelines.traces.receivers');
  if (receivers.length === 0) {
    throw new CollectorConfigError('service.pipelines.traces.receivers', 'needs the otlp receiver');
  }
  return {
    traces: {
      receivers,
      processors: names(traces.processors, 'service.pipelines.traces.processors'),
      exporters: names(traces.exporters, 'service.pipelines.traces.exporters'),
    },
  };
}

/**
 * `processors.costspan`: the collector's own options, and `attribution` / `compat` (the shared sections, parsed by
 * @costspan/config), which must equal the top-level ones when both are given.
 */
function applyCostspanProcessor(
  config: CollectorConfig,
  value: unknown,
  path: string,
  topAttribution: AttributionConfig | undefined,
  problems: ConfigProblem[],
): void {
  const options = optionalRecord(value, path);
  onlyKeys(options, path, ['attribution', 'compat', 'window_grace', 'node_records', 'budget_webhook']);
  if (options.budget_webhook !== undefined) {
    config.budgetWebhook = webhookUrl(options.budget_webhook, `${path}.budget_webhook`);
  }
  if (options.node_records !== undefined) {
    if (options.node_records !== 'all' && options.node_records !== 'seen') {
      throw new CollectorConfigError(`${path}.node_records`, 'expected all or seen');
    }
    config.nodeRecords = options.node_records;
  }
  if (options.attribution !== undefined) {
    const attribution = parseAttribution(options.attribution, `${path}.attribution`, problems);
    if (attribution !== undefined) config.attribution = agree(topAttribution, attribution, 'attribution', path);
  }
  if (options.compat !== undefined) {
    const before = problems.length;
    const compat = parseCompat(options.compat, `${path}.compat`, problems);
    if (problems.length === before) config.compat = agree(config.compat, compat, 'compat', path);
  }
  if (options.window_grace !== undefined) {
    config.windowGraceMs = parseDuration(options.window_grace, `${path}.window_grace`);
  }
}

/** A section given at the top level (shared with COSTSPAN_CONFIG) and under a processor must say the same. */
function agree<T>(top: T | undefined, inProcessor: T, section: string, processorKey: string): T {
  if (top === undefined || JSON.stringify(top) === JSON.stringify(inProcessor)) return inProcessor;
  throw new CollectorConfigError(
    section,
    `differs from ${processorKey}.${section}: give it in one place (the top level is shared with COSTSPAN_CONFIG)`,
  );
}

function applyOtlpReceiver(config: CollectorConfig, value: unknown, path: string): void {
  const otlp = optionalRecord(value, path);
  onlyKeys(otlp, path, ['protocols']);
  const protocols = optionalRecord(otlp.protocols, `${path}.protocols`);
  for (const name of Object.keys(protocols)) {
    if (name !== 'http')
      throw new CollectorConfigError(`${path}.protocols.${name}`, 'only the http protocol (OTLP/HTTP) is supported');
  }
  const http = optionalRecord(protocols.http, `${path}.protocols.http`);
  const key = `${path}.protocols.http`;
  onlyKeys(http, key, [
    'endpoint',
    'max_request_body_size',
    'auth_token',
    'auth_token_file',
    'max_in_flight_bytes',
    'max_in_flight_spans',
    'max_spans_per_request',
    'max_attributes_per_span',
    'max_connections',
    'read_header_timeout',
    'read_timeout',
    'idle_timeout',
    'allow_insecure',
  ]);
  const receiver = config.receiver;
  if (http.endpoint !== undefined) {
    const endpoint = string(http.endpoint, `${key}.endpoint`);
    parseListen(endpoint, `${key}.endpoint`);
    receiver.endpoint = endpoint;
  }
  const int = (name: string) => (http[name] === undefined ? undefined : positiveInteger(http[name], `${key}.${name}`));
  const duration = (name: string) =>
    http[name] === undefined ? undefined : parseDuration(http[name], `${key}.${name}`);
  receiver.maxBodyBytes = int('max_request_body_size') ?? receiver.maxBodyBytes;
  receiver.maxInFlightBytes = int('max_in_flight_bytes') ?? receiver.maxInFlightBytes;
  receiver.maxInFlightSpans = int('max_in_flight_spans') ?? receiver.maxInFlightSpans;
  receiver.maxSpansPerRequest = int('max_spans_per_request') ?? receiver.maxSpansPerRequest;
  receiver.maxAttributesPerSpan = int('max_attributes_per_span') ?? receiver.maxAttributesPerSpan;
  receiver.maxConnections = int('max_connections') ?? receiver.maxConnections;
  receiver.headersTimeoutMs = duration('read_header_timeout') ?? receiver.headersTimeoutMs;
  receiver.requestTimeoutMs = duration('read_timeout') ?? receiver.requestTimeoutMs;
  receiver.idleTimeoutMs = duration('idle_timeout') ?? receiver.idleTimeoutMs;
  if (http.allow_insecure !== undefined) {
    if (typeof http.allow_insecure !== 'boolean')
      throw new CollectorConfigError(`${key}.allow_insecure`, 'expected true or false');
    receiver.allowInsecure = http.allow_insecure;
  }
  if (http.auth_token !== undefined && http.auth_token_file !== undefined) {
    throw new CollectorConfigError(`${key}.auth_token_file`, 'give auth_token or auth_token_file, not both');
  }
  if (http.auth_token !== undefined) receiver.authToken = string(http.auth_token, `${key}.auth_token`);
  if (http.auth_token_file !== undefined) {
    receiver.authToken = readSecretFile(
      string(http.auth_token_file, `${key}.auth_token_file`),
      `${key}.auth_token_file`,
    );
  }
}

/**
 * Reads a secret (a token) from a file: the content, trimmed. Errors name the file and the problem, never the
 * content.
 */
export function readSecretFile(path: string, key: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CollectorConfigError(key, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const secret = text.trim();
  if (secret === '' || /[\r\n]/.test(secret)) {
    throw new CollectorConfigError(key, `${path} must hold exactly one non-empty line`);
  }
  return secret;
}

/** Reads `K=V` lines (blank lines and `#` comments skipped) from a file of headers; errors never echo values. */
export function readHeaderFile(path: string, key: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CollectorConfigError(key, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    const name = eq <= 0 ? '' : trimmed.slice(0, eq).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new CollectorConfigError(key, `${path} line ${i + 1}: expected header-name=value`);
    }
    out[name] = trimmed.slice(eq + 1).trim();
  });
  return out;
}

/** `extensions.file_storage`: where persistent queues live and whether appends are fsynced. */
function fileStorage(config: CollectorConfig, value: unknown, baseDir: string): void {
  const extensions = optionalRecord(value, 'extensions');
  if (extensions.file_storage === undefined) return;
  const storage = optionalRecord(extensions.file_storage, 'extensions.file_storage');
  onlyKeys(storage, 'extensions.file_storage', ['directory', 'fsync']);
  if (storage.directory !== undefined)
    config.dataDir = resolve(baseDir, string(storage.directory, 'extensions.file_storage.directory'));
  if (storage.fsync !== undefined) {
    if (typeof storage.fsync !== 'boolean')
      throw new CollectorConfigError('extensions.file_storage.fsync', 'expected true or false');
    config.queueFsync = storage.fsync;
  }
}

function otlpHttpExporter(name: string, value: unknown, path: string): ForwardConfig {
  const options = record(value ?? {}, path);
  onlyKeys(options, path, [
    'endpoint',
    'traces_endpoint',
    'encoding',
    'headers',
    'timeout',
    'sending_queue',
    'retry_on_failure',
  ]);
  const url = options.traces_endpoint ?? options.endpoint;
  if (url === undefined) throw new CollectorConfigError(`${path}.endpoint`, 'is required');
  const forward = forwardConfig(
    name,
    tracesUrl(url, options.traces_endpoint !== undefined ? `${path}.traces_endpoint` : `${path}.endpoint`),
  );
  if (options.encoding !== undefined) forward.protocol = encoding(options.encoding, `${path}.encoding`);
  if (options.headers !== undefined) forward.headers = headers(options.headers, `${path}.headers`);
  if (options.timeout !== undefined) forward.timeoutMs = parseDuration(options.timeout, `${path}.timeout`);
  const queue = optionalRecord(options.sending_queue, `${path}.sending_queue`);
  onlyKeys(queue, `${path}.sending_queue`, ['queue_size', 'max_bytes', 'storage']);
  if (queue.queue_size !== undefined)
    forward.queueSize = positiveInteger(queue.queue_size, `${path}.sending_queue.queue_size`);
  if (queue.max_bytes !== undefined)
    forward.queueBytes = positiveInteger(queue.max_bytes, `${path}.sending_queue.max_bytes`);
  if (queue.storage !== undefined) {
    if (queue.storage !== 'file_storage' && queue.storage !== 'memory') {
      throw new CollectorConfigError(`${path}.sending_queue.storage`, 'expected file_storage or memory');
    }
    forward.persistent = queue.storage === 'file_storage';
  }
  const retry = optionalRecord(options.retry_on_failure, `${path}.retry_on_failure`);
  onlyKeys(retry, `${path}.retry_on_failure`, ['initial_interval', 'max_interval', 'max_elapsed_time']);
  if (retry.initial_interval !== undefined)
    forward.retry.initialIntervalMs = parseDuration(
      retry.initial_interval,
      `${path}.retry_on_failure.initial_interval`,
    );
  if (retry.max_interval !== undefined)
    forward.retry.maxIntervalMs = parseDuration(retry.max_interval, `${path}.retry_on_failure.max_interval`);
  if (retry.max_elapsed_time !== undefined)
    forward.retry.maxElapsedMs = parseDuration(retry.max_elapsed_time, `${path}.retry_on_failure.max_elapsed_time`);
  return forward;
}

function duckdbExporter(value: unknown, path: string): { path: string } {
  const options = record(value ?? {}, path);
  onlyKeys(options, path, ['path']);
  return { path: string(options.path, `${path}.path`) };
}

function debugExporter(value: unknown, path: string): DebugConfig {
  const options = optionalRecord(value, path);
  onlyKeys(options, path, ['verbosity']);
  const verbosity = options.verbosity ?? 'basic';
  if (verbosity !== 'basic' && verbosity !== 'detailed') {
    throw new CollectorConfigError(`${path}.verbosity`, `expected basic or detailed, got ${JSON.stringify(verbosity)}`);
  }
  return { verbosity };
}

function telemetry(options: Record<string, unknown>): TelemetryConfig {
  onlyKeys(options, 'service.telemetry', ['metrics']);
  const metrics = optionalRecord(options.metrics, 'service.telemetry.metrics');
  onlyKeys(metrics, 'service.telemetry.metrics', ['prometheus', 'otlp']);
  const out: TelemetryConfig = { prometheus: true };
  if (metrics.prometheus !== undefined) {
    if (typeof metrics.prometheus !== 'boolean')
      throw new CollectorConfigError('service.telemetry.metrics.prometheus', 'expected true or false');
    out.prometheus = metrics.prometheus;
  }
  if (metrics.otlp !== undefined) {
    const otlp = record(metrics.otlp, 'service.telemetry.metrics.otlp');
    onlyKeys(otlp, 'service.telemetry.metrics.otlp', ['endpoint', 'interval', 'headers']);
    out.otlpMetricsUrl = metricsUrl(otlp.endpoint, 'service.telemetry.metrics.otlp.endpoint');
    if (otlp.interval !== undefined)
      out.otlpIntervalMs = parseDuration(otlp.interval, 'service.telemetry.metrics.otlp.interval');
    if (otlp.headers !== undefined) out.otlpHeaders = headers(otlp.headers, 'service.telemetry.metrics.otlp.headers');
  }
  return out;
}

/** An http(s) URL taken as given (no path is added). */
function webhookUrl(value: unknown, key: string): string {
  tracesUrl(value, key);
  return value as string;
}

function metricsUrl(value: unknown, key: string): string {
  const url = new URL(tracesUrl(value, key));
  if (url.pathname === '/v1/traces') url.pathname = '/v1/metrics';
  return url.toString();
}

export function encoding(value: unknown, key: string): ForwardProtocol {
  if (value === 'proto' || value === 'http/protobuf') return 'http/protobuf';
  if (value === 'json' || value === 'http/json') return 'http/json';
  throw new CollectorConfigError(
    key,
    `expected proto or json (http/protobuf or http/json), got ${JSON.stringify(value)}`,
  );
}

function headers(value: unknown, key: string): Record<string, string> {
  const input = record(value, key);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(input)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new CollectorConfigError(`${key}.${name}`, 'is not a valid header name');
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new CollectorConfigError(`${key}.${name}`, 'expected a string');
    out[name] = String(v);
  }
  return out;
}

function typeOf(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}

function names(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new CollectorConfigError(key, 'expected a list of component names');
  }
  return value as string[];
}

function record(value: unknown, key: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CollectorConfigError(key, 'expected a mapping');
  }
  return value as Record<string, unknown>;
}

function optionalRecord(value: unknown, key: string): Record<string, unknown> {
  return value === undefined || value === null ? {} : record(value, key);
}

function onlyKeys(value: Record<string, unknown>, key: string, allowed: string[]): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) {
      throw new CollectorConfigError(`${key}.${k}`, `unknown key (expected one of: ${allowed.join(', ')})`);
    }
  }
}

function string(value: unknown, key: string): string {
  if (typeof value !== 'string' || value === '') throw new CollectorConfigError(key, 'expected a non-empty string');
  return value;
}

export function positiveInteger(value: unknown, key: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw new CollectorConfigError(key, `expected a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function expandEnv(value: unknown, env: NodeJS.ProcessEnv, key: string, problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) {
        problems.push({ path: key || '(root)', message: `environment variable ${name} is not set` });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${key}[${i}]`, problems));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, key ? `${key}.${k}` : k, problems);
    return out;
  }
  return value;
}
