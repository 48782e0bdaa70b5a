import { describe, expect, it } from 'vitest';
import {
  batchSpanProcessorOptions,
  exporterNames,
  isSdkDisabled,
  metricExportTiming,
  otlpTarget,
  parseHeaders,
  type Warn,
} from './otel-env.js';

function collect(): { warn: Warn; lines: string[] } {
  const lines: string[] = [];
  return { warn: (_key, message) => lines.push(message), lines };
}

describe('OTLP target from OTEL_EXPORTER_OTLP_*', () => {
  it('defaults to http/protobuf on localhost:4318 with the signal path', () => {
    const { warn, lines } = collect();
    expect(otlpTarget({}, 'traces', warn)).toEqual({
      protocol: 'http/protobuf',
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    expect(otlpTarget({}, 'metrics', warn).url).toBe('http://localhost:4318/v1/metrics');
    expect(lines).toEqual([]);
  });

  it('appends the signal path to the base endpoint and uses a signal endpoint as is', () => {
    const { warn } = collect();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318/otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.internal/custom/path',
    };
    expect(otlpTarget(env, 'traces', warn).url).toBe('https://collector.internal:4318/otlp/v1/traces');
    expect(otlpTarget(env, 'metrics', warn).url).toBe('https://metrics.internal/custom/path');
    expect(otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }, 'traces', warn).url).toBe(
      'http://c:4318/v1/traces',
    );
  });

  it('reads protocol, headers, timeout and compression, the signal variable winning', () => {
    const { warn, lines } = collect();
    const target = otlpTarget(
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team = ml ',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=platform',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      },
      'traces',
      warn,
    );
    expect(target).toMatchObject({
      protocol: 'http/json',
      headers: { authorization: 'Bearer abc', 'x-team': 'platform' },
      timeoutMillis: 2500,
      compression: 'gzip',
    });
    expect(lines).toEqual([]);
  });

  it('falls back with a warning on grpc, unknown protocols, bad URLs and bad numbers', () => {
    const { warn, lines } = collect();
    const target = otlpTarget(
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url',
        OTEL_EXPORTER_OTLP_TIMEOUT: '-5',
      },
      'traces',
      warn,
    );
    expect(target).toMatchObject({
      protocol: 'http/protobuf',
      url: 'http://localhost:4318/v1/traces',
      timeoutMillis: 10_000,
    });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' is not supported");
    expect(lines[0]).toContain('4318');
  });
});

describe('other variables', () => {
  it('OTEL_SDK_DISABLED is true only for "true"', () => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: 'TRUE ' })).toBe(true);
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: '1' })).toBe(false);
    expect(isSdkDisabled({})).toBe(false);
  });

  it('exporter lists: otlp by default, none wins, unsupported names are skipped with a warning', () => {
    const { warn, lines } = collect();
    expect(exporterNames({}, 'OTEL_TRACES_EXPORTER', warn)).toEqual(['otlp']);
    expect(exporterNames({ OTEL_TRACES_EXPORTER: 'console, OTLP' }, 'OTEL_TRACES_EXPORTER', warn)).toEqual([
      'console',
      'otlp',
    ]);
    expect(exporterNames({ OTEL_METRICS_EXPORTER: 'otlp,none' }, 'OTEL_METRICS_EXPORTER', warn)).toEqual([]);
    expect(exporterNames({ OTEL_METRICS_EXPORTER: 'prometheus' }, 'OTEL_METRICS_EXPORTER', warn)).toEqual([]);
    expect(lines).toEqual([
      "OTEL_METRICS_EXPORTER: 'prometheus' is not supported by @costspan/node (otlp, console, none); ignored",
    ]);
  });

  it('metric export timeout never exceeds the interval', () => {
    const { warn } = collect();
    expect(metricExportTiming({}, warn)).toEqual({ intervalMillis: 60_000, timeoutMillis: 30_000 });
    expect(metricExportTiming({ OTEL_METRIC_EXPORT_INTERVAL: '1000' }, warn)).toEqual({
      intervalMillis: 1000,
      timeoutMillis: 1000,
    });
  });

  it('headers: skips entries without a key, keeps undecodable values raw', () => {
    const { warn, lines } = collect();
    expect(parseHeaders('=x,a=%E0%A4%A,b=c=d', 'V', warn)).toEqual({ a: '%E0%A4%A', b: 'c=d' });
    expect(lines).toEqual(["V: '=x' is not key=value; ignored"]);
  });
});

describe('batch span processor settings', () => {
  it('reads OTEL_BSP_* (sdk-trace no longer does), skipping invalid values with a warning', () => {
    const { warn, lines } = collect();
    expect(
      batchSpanProcessorOptions(
        { OTEL_BSP_SCHEDULE_DELAY: '250', OTEL_BSP_MAX_QUEUE_SIZE: '4096', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'lots' },
        warn,
      ),
    ).toEqual({ scheduledDelayMillis: 250, maxQueueSize: 4096 });
    expect(lines).toEqual(["OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'lots' is not a whole number >= 0; using the default"]);
  });
});
