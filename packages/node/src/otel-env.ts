/**
 * The standard OTEL_* variables that @costspan/node reads itself (NodeSDK stops reading the exporter variables
 * once it is given span processors). Pure functions of an environment; problems go to `warn`, never thrown.
 */

export type Env = Readonly<Record<string, string | undefined>>;
export type Warn = (key: string, message: string) => void;
export type Signal = 'traces' | 'metrics';
export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type ExporterName = 'otlp' | 'console';

/** Where and how one signal is sent over OTLP/HTTP. */
export interface OtlpTarget {
  protocol: OtlpProtocol;
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: 'gzip' | 'none';
}

const DEFAULT_ENDPOINT = 'http://localhost:4318/';
const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;
export const DEFAULT_METRIC_EXPORT_TIMEOUT_MS = 30_000;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/** OTEL_SDK_DISABLED: only `true` (any case) disables, as the specification says. */
export function isSdkDisabled(env: Env): boolean {
  return value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
}

/** A comma-separated list, trimmed, lower-cased, without empty entries or duplicates. */
export function listFromEnv(env: Env, name: string): string[] | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  return [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== ''),
    ),
  ];
}

/**
 * OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER: `otlp` (the default), `console`, `none`. Other values
 * (`zipkin`, `prometheus`, ...) are not shipped here: warned about and skipped.
 */
export function exporterNames(env: Env, variable: 'OTEL_TRACES_EXPORTER' | 'OTEL_METRICS_EXPORTER', warn: Warn) {
  const names = listFromEnv(env, variable) ?? ['otlp'];
  if (names.length === 0 || names.includes('none')) return [];
  const out: ExporterName[] = [];
  for (const name of names) {
    if (name === 'otlp' || name === 'console') out.push(name);
    else
      warn(
        `${variable}=${name}`,
        `${variable}: '${name}' is not supported by @costspan/node (otlp, console, none); ignored`,
      );
  }
  return out;
}

/** The OTLP/HTTP target of a signal from OTEL_EXPORTER_OTLP_[SIGNAL_]{ENDPOINT,HEADERS,PROTOCOL,TIMEOUT,COMPRESSION}. */
export function otlpTarget(env: Env, signal: Signal, warn: Warn): OtlpTarget {
  const upper = signal.toUpperCase();
  return {
    protocol: protocol(env, upper, warn),
    url: endpoint(env, signal, upper, warn),
    headers: {
      ...parseHeaders(value(env, 'OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS', warn),
      ...parseHeaders(value(env, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`), `OTEL_EXPORTER_OTLP_${upper}_HEADERS`, warn),
    },
    timeoutMillis:
      positiveInteger(env, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, warn) ??
      positiveInteger(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', warn) ??
      DEFAULT_TIMEOUT_MS,
    compression: compression(env, upper, warn),
  };
}

function protocol(env: Env, upper: string, warn: Warn): OtlpProtocol {
  const name = value(env, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`)
    ? `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'http/protobuf') return 'http/protobuf';
  if (raw === 'http/json') return 'http/json';
  const hint = raw === 'grpc' ? ' — point the endpoint at the OTLP/HTTP port (4318), not gRPC (4317)' : '';
  warn(`${name}=${raw}`, `${name}: '${raw}' is not supported by @costspan/node; using http/protobuf${hint}`);
  return 'http/protobuf';
}

function endpoint(env: Env, signal: Signal, upper: string, warn: Warn): string {
  const specific = value(env, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
  if (specific !== undefined) {
    if (URL.canParse(specific)) return specific;
    warn(
      `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`,
      `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT: '${specific}' is not a URL; ignored`,
    );
  }
  let base = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT;
  if (!URL.canParse(base)) {
    warn(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      `OTEL_EXPORTER_OTLP_ENDPOINT: '${base}' is not a URL; using ${DEFAULT_ENDPOINT}`,
    );
    base = DEFAULT_ENDPOINT;
  }
  return `${base.endsWith('/') ? base : `${base}/`}v1/${signal}`;
}

function compression(env: Env, upper: string, warn: Warn): 'gzip' | 'none' {
  const name = value(env, `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`)
    ? `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`
    : 'OTEL_EXPORTER_OTLP_COMPRESSION';
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'none') return 'none';
  if (raw === 'gzip') return 'gzip';
  warn(name, `${name}: '${raw}' is not gzip or none; sending uncompressed`);
  return 'none';
}

/** `key1=value1,key2=value2`, values percent-decoded (W3C baggage-like format of the OTLP exporter spec). */
export function parseHeaders(raw: string | undefined, variable: string, warn: Warn): Record<string, string> {
  const headers: Record<string, string> = {};
  if (raw === undefined) return headers;
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (key === '') {
      warn(`${variable}:${part}`, `${variable}: '${part.trim()}' is not key=value; ignored`);
      continue;
    }
    const rawValue = part.slice(eq + 1).trim();
    try {
      headers[key] = decodeURIComponent(rawValue);
    } catch {
      headers[key] = rawValue;
    }
  }
  return headers;
}

/** A positive whole number of milliseconds, or undefined (unset or invalid: warned). */
export function positiveInteger(env: Env, name: string, warn: Warn): number | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (Number.isSafeInteger(n) && n > 0) return n;
  warn(name, `${name}: '${raw}' is not a positive whole number of milliseconds; using the default`);
  return undefined;
}

/** OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT; the timeout never exceeds the interval (the reader requires it). */
export function metricExportTiming(env: Env, warn: Warn): { intervalMillis: number; timeoutMillis: number } {
  const intervalMillis = positiveInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', warn) ?? DEFAULT_METRIC_EXPORT_INTERVAL_MS;
  const timeout = positiveInteger(env, 'OTEL_METRIC_EXPORT_TIMEOUT', warn) ?? DEFAULT_METRIC_EXPORT_TIMEOUT_MS;
  return { intervalMillis, timeoutMillis: Math.min(timeout, intervalMillis) };
}

/** OTEL_BSP_* for the BatchSpanProcessor (sdk-trace no longer reads them itself; NodeSDK only for its own). */
export function batchSpanProcessorOptions(env: Env, warn: Warn) {
  const read = (name: string) => {
    const raw = value(env, name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (Number.isSafeInteger(n) && n >= 0) return n;
    warn(name, `${name}: '${raw}' is not a whole number >= 0; using the default`);
    return undefined;
  };
  const options = {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof typeof options, number>
  >;
}
