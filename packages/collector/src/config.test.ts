import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectorConfigFromObject, loadCollectorConfig } from './config.js';
import { CollectorConfigError } from './config-error.js';
import { collectorConfigFromFlags } from './config-flags.js';
import { costStages } from './cost-stage.js';

const FULL = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:14318
        max_request_body_size: 1048576
        auth_token: \${env:COLLECTOR_TOKEN}
processors:
  costspan:
    window_grace: 90s
    compat: [openinference]
exporters:
  otlphttp/backend:
    endpoint: http://backend:4318
    encoding: json
    headers: { x-api-key: abc }
    timeout: 5s
    sending_queue: { queue_size: 2000 }
    retry_on_failure: { initial_interval: 500ms, max_interval: 1m, max_elapsed_time: 10m }
  duckdb:
    path: /var/lib/costspan/costspan.duckdb
  debug:
    verbosity: detailed
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [costspan]
      exporters: [otlphttp/backend, duckdb, debug]
  telemetry:
    metrics:
      otlp: { endpoint: http://backend:4318, interval: 30s }
prices:
  models:
    - match: my-model
      prices: { input: 1, output: 2 }
gpu:
  nodes:
    - id: gpu-a
      hourlyRate: 3.6
`;

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'costspan-config-')), 'costspan.yaml');
  writeFileSync(path, text);
  return path;
}

function keyOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CollectorConfigError) return error.key;
    throw error;
  }
  throw new Error('no error');
}

describe('collector configuration', () => {
  it('reads an OTel-Collector-style YAML with the shared prices and gpu sections', () => {
    const config = collectorConfigFromFlags({ config: file(FULL) }, { COLLECTOR_TOKEN: 't0k' });
    expect(config.receiver).toEqual({ endpoint: '0.0.0.0:14318', maxBodyBytes: 1_048_576, authToken: 't0k' });
    expect(config.costing).toBe(true);
    expect(config.windowGraceMs).toBe(90_000);
    expect(config.compat).toEqual(['openinference']);
    expect(config.forward).toEqual([
      {
        name: 'otlphttp/backend',
        url: 'http://backend:4318/v1/traces',
        protocol: 'http/json',
        headers: { 'x-api-key': 'abc' },
        queueSize: 2000,
        queueBytes: 268_435_456,
        persistent: true,
        timeoutMs: 5000,
        retry: { initialIntervalMs: 500, maxIntervalMs: 60_000, maxElapsedMs: 600_000 },
      },
    ]);
    expect(config.store).toEqual({ path: '/var/lib/costspan/costspan.duckdb' });
    expect(config.debug).toEqual({ verbosity: 'detailed' });
    expect(config.telemetry).toEqual({
      prometheus: true,
      otlpMetricsUrl: 'http://backend:4318/v1/metrics',
      otlpIntervalMs: 30_000,
    });
    expect(config.gpu).toEqual({ nodes: [{ id: 'gpu-a', hourlyRate: 3.6 }] });
    expect(config.prices).toMatchObject({ models: [{ match: 'my-model' }] });
  });

  it('lets flags add forwards and override the listen address, store and limits', () => {
    const config = collectorConfigFromFlags(
      {
        config: file(FULL),
        listen: '127.0.0.1:0',
        forward: ['http://a:4318', 'https://b.example/otlp/v1/traces'],
        forwardProtocol: 'http/protobuf',
        forwardHeaders: ['authorization=Bearer x'],
        store: 'x.duckdb',
        queueSize: '10',
        maxBodyBytes: '2048',
        authToken: 'flag',
      },
      { COLLECTOR_TOKEN: 't' },
    );
    expect(config.receiver).toEqual({ endpoint: '127.0.0.1:0', maxBodyBytes: 2048, authToken: 'flag' });
    expect(config.forward.map((f) => [f.url, f.protocol, f.queueSize])).toEqual([
      ['http://backend:4318/v1/traces', 'http/json', 10],
      ['http://a:4318/v1/traces', 'http/protobuf', 10],
      ['https://b.example/otlp/v1/traces', 'http/protobuf', 10],
    ]);
    expect(config.forward[1]?.headers).toEqual({ authorization: 'Bearer x' });
    expect(config.store).toEqual({ path: 'x.duckdb' });
  });

  it('reads queue storage, byte limits, receiver limits and a token file from YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-config-'));
    writeFileSync(join(dir, 'token'), 's3cret\n');
    const config = loadCollectorConfig(
      file(`
receivers:
  otlp:
    protocols:
      http:
        auth_token_file: ${join(dir, 'token')}
        max_in_flight_bytes: 1000
        max_in_flight_spans: 10
        max_spans_per_request: 5
        max_attributes_per_span: 7
        max_connections: 3
        read_header_timeout: 2s
        read_timeout: 3s
        idle_timeout: 4s
exporters:
  otlphttp/a: { endpoint: http://a:4318, sending_queue: { max_bytes: 4096, storage: memory } }
  otlphttp/b: { endpoint: http://b:4318 }
extensions:
  file_storage: { directory: state, fsync: false }
`),
    );
    expect(config.receiver).toMatchObject({
      authToken: 's3cret',
      maxInFlightBytes: 1000,
      maxInFlightSpans: 10,
      maxSpansPerRequest: 5,
      maxAttributesPerSpan: 7,
      maxConnections: 3,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      idleTimeoutMs: 4000,
    });
    expect(config.forward.map((f) => [f.name, f.queueBytes, f.persistent])).toEqual([
      ['otlphttp/a', 4096, false],
      ['otlphttp/b', 268_435_456, true],
    ]);
    expect(config.dataDir).toMatch(/costspan-config-.*\/state$/);
    expect(config.queueFsync).toBe(false);
  });

  it('takes the token and forward headers from the environment and files, and queue flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-config-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    writeFileSync(join(dir, 'headers'), '# upstream\nx-api-key = k1\nx-team=t\n');
    const env = {
      COSTSPAN_COLLECTOR_AUTH_TOKEN: 'from-env',
      COSTSPAN_COLLECTOR_FORWARD_HEADERS: 'x-env=a%20b,x-team=e',
    };
    const fromEnv = collectorConfigFromFlags({ forward: ['http://a:4318'] }, env);
    expect(fromEnv.receiver.authToken).toBe('from-env');
    expect(fromEnv.forward[0]?.headers).toEqual({ 'x-env': 'a b', 'x-team': 'e' });
    const fromFile = collectorConfigFromFlags(
      {
        forward: ['http://a:4318'],
        authTokenFile: join(dir, 'token'),
        forwardHeaderFile: join(dir, 'headers'),
        queueBytes: '1024',
        dataDir: dir,
      },
      env,
    );
    expect(fromFile.receiver.authToken).toBe('from-file');
    expect(fromFile.forward[0]?.headers).toEqual({ 'x-env': 'a b', 'x-api-key': 'k1', 'x-team': 't' });
    expect(fromFile.forward[0]?.queueBytes).toBe(1024);
    expect(fromFile.dataDir).toBe(dir);
    const memory = collectorConfigFromFlags({ forward: ['http://a:4318'], noPersistentQueue: true }, {});
    expect(memory.forward[0]?.persistent).toBe(false);
    expect(keyOf(() => collectorConfigFromFlags({ noPersistentQueue: true, dataDir: dir }, {}))).toBe('--data-dir');
  });

  it('never echoes the content of a secret or header file in an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-config-'));
    writeFileSync(join(dir, 'token'), 'line-one-secret\nline-two-secret\n');
    writeFileSync(join(dir, 'headers'), 'not a header line with secret-value\n');
    for (const flags of [
      { authTokenFile: join(dir, 'token') },
      { forward: ['http://a:4318'], forwardHeaderFile: join(dir, 'headers') },
      { authTokenFile: join(dir, 'missing') },
    ]) {
      let message = '';
      try {
        collectorConfigFromFlags(flags, {});
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toMatch(/secret/);
    }
  });

  it('defaults to loopback, pricing on, Prometheus metrics on', () => {
    const config = collectorConfigFromFlags({});
    expect(config.receiver.endpoint).toBe('127.0.0.1:4318');
    expect(config.costing).toBe(true);
    expect(config.telemetry.prometheus).toBe(true);
  });

  it('is a pass-through when the pipeline lists no costspan processor', () => {
    const config = collectorConfigFromObject({
      service: { pipelines: { traces: { receivers: ['otlp'] } } },
      receivers: { otlp: {} },
    });
    expect(config.costing).toBe(false);
  });

  it('names the offending key of an invalid configuration', () => {
    const cases: Array<[unknown, string]> = [
      [{ receivers: { otlp: { protocols: { grpc: {} } } } }, 'receivers.otlp.protocols.grpc'],
      [
        { receivers: { otlp: { protocols: { http: { endpoint: 'nope' } } } } },
        'receivers.otlp.protocols.http.endpoint',
      ],
      [{ exporters: { 'otlphttp/x': { endpoint: 'ftp://x' } } }, 'exporters.otlphttp/x.endpoint'],
      [{ exporters: { 'otlphttp/x': { endpoint: 'http://x', encoding: 'xml' } } }, 'exporters.otlphttp/x.encoding'],
      [
        { exporters: { 'otlphttp/x': { endpoint: 'http://x', sending_queue: { queue_size: -1 } } } },
        'exporters.otlphttp/x.sending_queue.queue_size',
      ],
      [
        { exporters: { 'otlphttp/x': { endpoint: 'http://x', retry_on_failure: { max_interval: 'soon' } } } },
        'exporters.otlphttp/x.retry_on_failure.max_interval',
      ],
      [{ exporters: { kafka: {} } }, 'exporters.kafka'],
      [{ exporters: { debug: { verbosity: 'loud' } } }, 'exporters.debug.verbosity'],
      [{ exporters: { duckdb: { file: 'x' } } }, 'exporters.duckdb.file'],
      [
        {
          service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['otlphttp/missing'] } } },
          receivers: { otlp: {} },
        },
        'service.pipelines.traces.exporters[0]',
      ],
      [{ service: { pipelines: { metrics: {} } } }, 'service.pipelines.metrics'],
      [{ processors: { costspan: { window_grace: 'later' } } }, 'processors.costspan.window_grace'],
      [
        { receivers: { otlp: { protocols: { http: { auth_token: ['$', '{env:NOT_SET_ANYWHERE}'].join('') } } } } },
        'receivers.otlp.protocols.http.auth_token',
      ],
    ];
    for (const [doc, key] of cases)
      expect(
        keyOf(() => collectorConfigFromObject(doc, {})),
        JSON.stringify(doc),
      ).toBe(key);
    expect(keyOf(() => collectorConfigFromFlags({ listen: 'localhost' }))).toBe('--listen');
    expect(keyOf(() => collectorConfigFromFlags({ forward: ['not a url'] }))).toBe('--forward');
    expect(keyOf(() => collectorConfigFromFlags({ queueSize: '0' }))).toBe('--queue-size');
  });
});

describe('every problem at once', () => {
  it('lists the problems of the shared sections and of the collector own sections in one error', () => {
    let error: CollectorConfigError | undefined;
    try {
      collectorConfigFromObject(
        {
          receivers: {
            otlp: { protocols: { http: { endpoint: 'nope', auth_token: ['$', '{env:NOT_SET_ANYWHERE}'].join('') } } },
          },
          exporters: { 'otlphttp/x': { endpoint: 'ftp://x' }, debug: { verbosity: 'loud' } },
          processors: { costspan: { window_grace: 'later', compat: ['x'] } },
          gpu: { nodes: [{ id: 'gpu-a', hourlyRate: -1 }] },
          attribution: { maxTenants: 0 },
          prices: { models: [{ match: 'm', prices: { input: 'cheap' } }] },
          budgets: [{ name: 'a', window: 'week', limit: 1 }],
        },
        {},
      );
    } catch (e) {
      error = e as CollectorConfigError;
    }
    expect(error).toBeInstanceOf(CollectorConfigError);
    expect(error?.problems.map((p) => p.path)).toEqual([
      'receivers.otlp.protocols.http.auth_token',
      'attribution.maxTenants',
      'budgets[0].window',
      'gpu.nodes[0].hourlyRate',
      'prices.models[0].prices.input',
      'receivers.otlp.protocols.http.endpoint',
      'processors.costspan.compat[0]',
      'processors.costspan.window_grace',
      'exporters.otlphttp/x.endpoint',
      'exporters.debug.verbosity',
    ]);
    expect(error?.key).toBe('receivers.otlp.protocols.http.auth_token');
    expect(error?.message).toMatch(/^invalid collector configuration: receivers\.otlp\.protocols\.http\.auth_token: /);
    expect(error?.message).toContain('; gpu.nodes[0].hourlyRate: must be a positive number; ');
  });
});

describe('the COSTSPAN_CONFIG sections shared with @costspan/node', () => {
  const stagesKeyOf = (doc: unknown) =>
    keyOf(() => {
      const config = collectorConfigFromObject(doc, {});
      costStages(config);
    });

  it('accepts compat at the top level and under processors.costspan, equal in both or an error naming it', () => {
    expect(collectorConfigFromObject({ compat: ['logfire'] }).compat).toEqual(['logfire']);
    expect(
      collectorConfigFromObject({ compat: ['logfire'], processors: { costspan: { compat: ['logfire'] } } }).compat,
    ).toEqual(['logfire']);
    expect(stagesKeyOf({ compat: ['logfire'], processors: { costspan: { compat: ['openinference'] } } })).toBe(
      'compat',
    );
    expect(stagesKeyOf({ compat: ['langfuse'] })).toBe('compat[0]');
    expect(stagesKeyOf({ processors: { costspan: { compat: ['openinference', 'x'] } } })).toBe(
      'processors.costspan.compat[1]',
    );
    expect(
      stagesKeyOf({
        attribution: { featureKeys: ['a'] },
        processors: { costspan: { attribution: { featureKeys: ['b'] } } },
      }),
    ).toBe('attribution');
  });

  it('validates attribution as @costspan/node does, maxTenants included', () => {
    expect(() =>
      costStages(
        collectorConfigFromObject({ attribution: { featureKeys: ['app.feature'], tenantKeys: ['t'], maxTenants: 5 } }),
      ),
    ).not.toThrow();
    expect(stagesKeyOf({ attribution: { maxTenants: 0 } })).toBe('attribution.maxTenants');
    expect(stagesKeyOf({ attribution: { maxTenants: 2.5 } })).toBe('attribution.maxTenants');
    expect(stagesKeyOf({ attribution: { featureKeys: [] } })).toBe('attribution.featureKeys');
    expect(stagesKeyOf({ attribution: { tenantKeys: [' '] } })).toBe('attribution.tenantKeys');
    expect(stagesKeyOf({ attribution: { tenants: ['x'] } })).toBe('attribution.tenants');
  });

  it('resolves a relative prices path against the file, an absolute one as given, and reads it at once', () => {
    const path = file('prices: overrides/prices.yaml\n');
    const dir = dirname(path);
    mkdirSync(join(dir, 'overrides'));
    writeFileSync(join(dir, 'overrides/prices.yaml'), 'models:\n  - { match: m, prices: { input: 1 } }\n');
    expect(loadCollectorConfig(path).prices).toBe(join(dir, 'overrides/prices.yaml'));
    const absolute = join(dir, 'overrides/prices.yaml');
    expect(collectorConfigFromObject({ prices: absolute }).prices).toBe(absolute);
    expect(collectorConfigFromObject({ prices: 'overrides/prices.yaml' }, {}, { baseDir: dir }).prices).toBe(absolute);
    expect(() => collectorConfigFromObject({ prices: 'missing.yaml' }, {}, { baseDir: dir })).toThrow(
      `invalid collector configuration: ${join(dir, 'missing.yaml')}: (root): file not found`,
    );
  });

  it('reads the shared budgets section and the budget webhook, naming the bad key', () => {
    const config = collectorConfigFromObject({
      processors: { costspan: { budget_webhook: 'http://127.0.0.1:9000/hooks/budget' } },
      budgets: [{ name: 'acme-daily', tenant: 'acme', window: 'day', limit: '25.50', soft: 0.8 }],
    });
    expect(config.budgets).toEqual([
      { name: 'acme-daily', tenant: 'acme', window: 'day', limitNanos: 25_500_000_000n, soft: 0.8 },
    ]);
    expect(config.budgetWebhook).toBe('http://127.0.0.1:9000/hooks/budget');
    expect(keyOf(() => collectorConfigFromObject({ budgets: [{ name: 'a', window: 'week', limit: 1 }] }))).toBe(
      'budgets[0].window',
    );
    expect(keyOf(() => collectorConfigFromObject({ budgets: [{ name: 'a', window: 'day', limit: 0 }] }))).toBe(
      'budgets[0].limit',
    );
    expect(
      keyOf(() => collectorConfigFromObject({ processors: { costspan: { budget_webhook: 'ftp://host/x' } } })),
    ).toBe('processors.costspan.budget_webhook');
  });
});
