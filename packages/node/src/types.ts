import type { GpuConfig } from '@costspan/allocation';
import type { CompatSwitch, CostRuleConfig, SharedResourceConfig } from '@costspan/core';
import type { GenAiInstrumentationConfig, OpenAIInstrumentationConfig } from '@costspan/instrumentation';
import type { PriceOverrides } from '@costspan/pricing';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** The instrumentations `@costspan/node` starts, by the names OTEL_NODE_(EN|DIS)ABLED_INSTRUMENTATIONS use. */
export type InstrumentationName = 'openai' | 'anthropic' | 'google-genai' | 'http';

/** `attribution` in COSTSPAN_CONFIG: which baggage entries / attributes carry feature and tenant. */
export interface CostspanAttributionConfig {
  /** Baggage entries or span/resource attributes naming the feature, first match wins. Default `[costspan.feature]`. */
  featureKeys?: string[];
  /** Baggage entries or span/resource attributes naming the tenant, first match wins. Default `[costspan.tenant]`. */
  tenantKeys?: string[];
  /** Distinct tenants kept apart in cost metrics; later ones are reported as `other`. Default 100. */
  maxTenants?: number;
}

/** The COSTSPAN_CONFIG file (YAML or JSON), also accepted in code as `startCostspan({ config })`. */
export interface CostspanConfig {
  /**
   * Price overrides in the `@costspan/pricing` overrides shape, or the path of an overrides file (relative to the
   * config file). COSTSPAN_PRICES, when set, is used instead.
   */
  prices?: PriceOverrides | string;
  /** Self-hosted GPU nodes, in the `@costspan/allocation` shape. */
  gpu?: GpuConfig;
  attribution?: CostspanAttributionConfig;
  /** Also write cost under the names other tools read: `openlit-langfuse`, `openinference`, `logfire`. */
  compat?: CompatSwitch[];
  /** Cost rules for the spans around the model (docs/cost-rules.md); a bad entry is logged and skipped. */
  costs?: CostRuleConfig[];
  /** Shared fixed-rate resources (a vector-DB pod, a reranker), allocated like GPU nodes. */
  resources?: SharedResourceConfig[];
}

/** Options of the instrumentations `@costspan/node` creates. */
export interface CostspanInstrumentationOptions {
  openai?: OpenAIInstrumentationConfig;
  anthropic?: GenAiInstrumentationConfig;
  'google-genai'?: GenAiInstrumentationConfig;
  http?: HttpInstrumentationConfig;
}

export interface CostspanOptions {
  /** `service.name`; default OTEL_SERVICE_NAME (or the OTel default `unknown_service:node`). */
  serviceName?: string;
  /** Path of the costspan config file. Default COSTSPAN_CONFIG. Ignored when `config` is given. */
  configFile?: string;
  /** The config in code (same shape as the file). */
  config?: CostspanConfig;
  /** Path of a price-overrides file. Default COSTSPAN_PRICES. */
  pricesFile?: string;
  /** Options for the built-in instrumentations. Which of them run: OTEL_NODE_(EN|DIS)ABLED_INSTRUMENTATIONS. */
  instrumentationOptions?: CostspanInstrumentationOptions;
  /** More instrumentations to register (e.g. `@opentelemetry/instrumentation-express`). */
  instrumentations?: Instrumentation[];
  /** Span exporters to use instead of the ones OTEL_TRACES_EXPORTER describes (each behind a BatchSpanProcessor). */
  spanExporters?: SpanExporter[];
  /** Metric readers to use instead of the ones OTEL_METRICS_EXPORTER describes. */
  metricReaders?: IMetricReader[];
  /** Flush on SIGTERM, SIGINT and beforeExit. Default true. */
  handleSignals?: boolean;
  /** Longest wait for the last export when the process is ending. Default 5000 ms. */
  shutdownTimeoutMs?: number;
}

/** What `startCostspan` returns. Its methods never reject. */
export interface CostspanHandle {
  /** `running`; `disabled` by OTEL_SDK_DISABLED; `failed` when the SDK could not start; `shut down`. */
  readonly state: 'running' | 'disabled' | 'failed' | 'shut down';
  /** False when there is no CostSpanProcessor (invalid configuration, SDK disabled or failed). */
  readonly costEnabled: boolean;
  /** Exports every finished span and the current metrics now. */
  forceFlush(): Promise<void>;
  /** Flushes and stops telemetry; removes the signal handlers. Later calls return the same promise. */
  shutdown(): Promise<void>;
}
