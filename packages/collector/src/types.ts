/** Public configuration types of @costspan/collector. */

import type { BudgetConfig } from '@costspan/config';
import type { CostRuleConfig, SharedResourceConfig } from '@costspan/core';

export type ForwardProtocol = 'http/protobuf' | 'http/json';

export interface RetryConfig {
  /** First wait after a retryable failure, ms. Default 1_000. */
  initialIntervalMs: number;
  /** Longest wait between attempts, ms. Default 30_000. */
  maxIntervalMs: number;
  /**
   * Give a batch up (counted as dropped) after trying this long, ms; 0 = never give up. Default 0: a queue holds
   * a batch until upstream takes it, and its byte limit refuses new requests (503) meanwhile.
   */
  maxElapsedMs: number;
}

/** One upstream OTLP/HTTP endpoint. */
export interface ForwardConfig {
  /** Name in the configuration file (`otlphttp/backend`), used in logs. */
  name: string;
  /** Full traces URL, e.g. `http://backend:4318/v1/traces` (a bare `http://host:port` gets `/v1/traces`). */
  url: string;
  protocol: ForwardProtocol;
  headers: Record<string, string>;
  /** Spans the queue may hold; past it the receiver answers 503 with Retry-After. Default 100_000. */
  queueSize: number;
  /** Bytes of encoded batches the queue may hold (on disk, or in memory); past it: 503. Default 256 MiB. */
  queueBytes: number;
  /**
   * Keep the queue in files under the data directory (`sending_queue.storage: file_storage`, the default), so
   * acknowledged spans survive a crash or restart; false keeps it in memory only (`storage: memory`).
   */
  persistent: boolean;
  /** Per-request timeout, ms. Default 10_000. */
  timeoutMs: number;
  retry: RetryConfig;
}

export interface ReceiverConfig {
  /** `host:port` to listen on. Default `127.0.0.1:4318`; port 0 picks a free port. */
  endpoint: string;
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  authToken?: string;
  /** Largest accepted body, compressed or not, in bytes. Default 16 MiB. */
  maxBodyBytes: number;
  /** Bytes of request bodies being handled at once (admitted, not yet answered); past it: 503. Default 256 MiB. */
  maxInFlightBytes?: number;
  /** Spans being handled at once, the second in-flight limit. Default 1_000_000. */
  maxInFlightSpans?: number;
  /** Most spans one request may carry; more: 413. Default 100_000. */
  maxSpansPerRequest?: number;
  /** Most attributes (span, events and links together) one span may carry; such a span is rejected. Default 4_096. */
  maxAttributesPerSpan?: number;
  /** Most open connections; more are closed at once. Default 1_024. */
  maxConnections?: number;
  /** Time to receive a request's headers, ms. Default 10_000. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, ms. Default 60_000. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, ms. Default 30_000. */
  idleTimeoutMs?: number;
  /** Listen beyond loopback without a token (otherwise the collector refuses to start). Default false. */
  allowInsecure?: boolean;
}

export interface StoreConfig {
  /** DuckDB database file (created when missing); `:memory:` for tests. */
  path: string;
}

export interface DebugConfig {
  /** `basic`: one line per request; `detailed`: one line per span with its cost. */
  verbosity: 'basic' | 'detailed';
  /** Where lines go; default process.stdout. */
  write?: (line: string) => void;
}

export interface TelemetryConfig {
  /** Serve the collector's own metrics in Prometheus text format on `/metrics`. Default true. */
  prometheus: boolean;
  /** Also push them over OTLP/HTTP (JSON) to this metrics URL, e.g. `http://backend:4318/v1/metrics`. */
  otlpMetricsUrl?: string;
  otlpHeaders?: Record<string, string>;
  /** Push interval, ms. Default 60_000. */
  otlpIntervalMs?: number;
}

/** Everything `startCollector` needs; `loadCollectorConfig` / the CLI build it from YAML and flags. */
export interface CollectorConfig {
  receiver: ReceiverConfig;
  /** When false the collector forwards spans untouched (a pass-through, used as the benchmark baseline). */
  costing: boolean;
  forward: ForwardConfig[];
  store?: StoreConfig;
  debug?: DebugConfig;
  telemetry: TelemetryConfig;
  /**
   * Price overrides, the `prices` section of COSTSPAN_CONFIG (passed to @costspan/pricing): inline, or the path of
   * an overrides file (`loadCollectorConfig` resolves a relative path against the config file's directory).
   */
  prices?: unknown;
  /** GPU nodes, the `gpu` section of COSTSPAN_CONFIG (validated by @costspan/allocation). */
  gpu?: unknown;
  /** Cost rules, the `costs` section (validated by @costspan/config's `parseCosts`). */
  costs?: CostRuleConfig[];
  /** Shared fixed-rate resources, the `resources` section (validated by @costspan/config's `parseResources`). */
  resources?: SharedResourceConfig[];
  /**
   * Attribution options, the `attribution` section: `featureKeys` / `tenantKeys` go to the processor core;
   * `maxTenants` bounds tenants in the in-process processor's metrics and, here, the budget ledger's tenants and features.
   */
  attribution?: unknown;
  /** Compatibility cost names (`openlit-langfuse`, `openinference`, `logfire`), off by default. */
  compat?: string[];
  /**
   * How far behind the latest span end an allocation window closes, ms (spans of a window may arrive this late
   * and still be allocated exactly). Default 120_000.
   */
  windowGraceMs: number;
  /**
   * Which nodes' window records this collector writes: `all` configured nodes (one collector; idle nodes keep
   * their idle line) or only nodes it has `seen` spans for (several collectors behind a load balancer that routes
   * by node, so each node's windows are written by exactly one collector). Default `all`.
   */
  nodeRecords: 'all' | 'seen';
  /** The `budgets` section of the shared file, validated by @costspan/config's `parseBudgets`. */
  budgets?: BudgetConfig[];
  /** `processors.costspan.budget_webhook`: URL that receives a JSON POST when a budget crosses a threshold. */
  budgetWebhook?: string;
  /** How long shutdown waits for upstream queues to drain, ms. Default 10_000. */
  shutdownTimeoutMs: number;
  /**
   * Where persistent queues live (`<dataDir>/queue/<exporter>-<url hash>/`). Default: `<store file>.data` when
   * the store is a file, else `$XDG_STATE_HOME/costspan` (`~/.local/state/costspan`).
   */
  dataDir?: string;
  /** fsync queue segments before acknowledging (group commit). Default true. */
  queueFsync?: boolean;
}

/** What `startCollector` returns. */
export interface RunningCollector {
  /** Base URL of the receiver, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  stats(): CollectorStats;
  /** Stops accepting, flushes the pipeline (closing allocation windows), drains queues and closes the store. */
  close(): Promise<void>;
}

export interface CollectorStats {
  received: number;
  rejected: number;
  priced: number;
  unpriced: number;
  exported: number;
  retried: number;
  refused: number;
  dropped: number;
  queueDepth: number;
  /** Bytes held in upstream queues (waiting, in flight or reserved), all forwarders together. */
  queueBytes: number;
  stored: number;
  /** Entries dropped from the bounded one-price-per-call windows of the cost stage (size or age). */
  dedupEvicted: number;
  /** Spans upstream confirmed (all forwarders together). */
  delivered: number;
  /** Spans left in persistent queues at shutdown (sent at the next start). */
  persisted: number;
}
