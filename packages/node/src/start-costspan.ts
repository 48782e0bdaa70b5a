import { CostSpanProcessor } from '@costspan/processor';
import { diag } from '@opentelemetry/api';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { resolveCostspanConfig } from './costspan-config.js';
import { installExitHooks } from './exit-hooks.js';
import { batchProcessor, metricReadersFromEnv, spanProcessorsFromEnv } from './exporters.js';
import { FanOutSpanProcessor } from './fan-out-span-processor.js';
import { selectInstrumentations } from './instrumentation-selection.js';
import { createInstrumentations } from './instrumentations.js';
import { reportError, warnOnce } from './log.js';
import { isSdkDisabled } from './otel-env.js';
import type { CostspanHandle, CostspanOptions } from './types.js';

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
/** Shared by every copy of this package loaded in the process (ESM and CJS entry, two versions). */
const HANDLE = Symbol.for('@costspan/node.handle');
type Holder = { [HANDLE]?: CostspanHandle };

/**
 * Starts OpenTelemetry with the costspan instrumentations, the CostSpanProcessor and OTLP/HTTP export, configured
 * by the standard OTEL_* variables, COSTSPAN_CONFIG and COSTSPAN_PRICES (options in code win). Never throws:
 * an invalid costspan configuration is reported in one line on stderr and telemetry starts without cost; a
 * failure to start at all is reported the same way and the app runs without telemetry.
 * A second call returns the running handle (with a warning) and ignores its options.
 */
export function startCostspan(options: CostspanOptions = {}): CostspanHandle {
  const holder = globalThis as Holder;
  const existing = holder[HANDLE];
  if (existing !== undefined) {
    warnOnce(
      'started-twice',
      'startCostspan() was already called (by @costspan/node/register or earlier code); using that instance, the new options are ignored',
    );
    return existing;
  }
  let handle: CostspanHandle;
  try {
    handle = start(options);
  } catch (error) {
    reportError(`could not start OpenTelemetry (${describe(error)}); the application runs without telemetry`);
    handle = inactiveHandle('failed');
  }
  holder[HANDLE] = handle;
  return handle;
}

/** The handle of the running instance (started by `register` or `startCostspan`), if any. */
export function getCostspan(): CostspanHandle | undefined {
  return (globalThis as Holder)[HANDLE];
}

function start(options: CostspanOptions): CostspanHandle {
  const env = process.env;
  if (isSdkDisabled(env)) return inactiveHandle('disabled');

  const downstream: SpanProcessor[] =
    options.spanExporters?.map((e) => batchProcessor(e, env, warnOnce)) ?? spanProcessorsFromEnv(env, warnOnce);
  const next = downstream.length <= 1 ? downstream[0] : new FanOutSpanProcessor(downstream);
  let cost: CostSpanProcessor | undefined;
  try {
    const config = resolveCostspanConfig({
      config: options.config,
      configFile: options.config === undefined ? (options.configFile ?? nonEmpty(env.COSTSPAN_CONFIG)) : undefined,
      pricesFile: options.pricesFile ?? nonEmpty(env.COSTSPAN_PRICES),
    });
    for (const warning of config.warnings) warnOnce(warning, warning);
    for (const problem of config.ruleErrors) reportError(problem);
    // The wrapping form: the cost processor hands spans to the exporters itself, so spans it holds for a GPU
    // window (gpu.mode 'windowed') are released before the exporters are flushed.
    cost = new CostSpanProcessor({
      priceBook: config.priceBook,
      compat: config.compat,
      ...(config.attribution === undefined ? {} : { attribution: config.attribution }),
      ...(config.maxTenants === undefined ? {} : { maxTenants: config.maxTenants }),
      ...(config.gpu === undefined ? {} : { gpu: config.gpu }),
      costs: config.costs,
      resources: config.resources,
      ...(next === undefined ? {} : { next }),
    });
  } catch (error) {
    reportError(`${describe(error)} — cost is off; traces and metrics are still exported`);
  }
  const spanProcessors: SpanProcessor[] = cost === undefined ? downstream : [cost];
  const metricReaders: IMetricReader[] = options.metricReaders ?? metricReadersFromEnv(env, warnOnce);
  const instrumentations = [
    ...createInstrumentations(selectInstrumentations(env, warnOnce), options.instrumentationOptions),
    ...(options.instrumentations ?? []),
  ];

  const sdk = new NodeSDK({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    spanProcessors,
    metricReaders,
    instrumentations,
  });
  try {
    sdk.start();
  } catch (error) {
    for (const instrumentation of instrumentations) {
      try {
        instrumentation.disable();
      } catch {
        // best effort
      }
    }
    void sdk.shutdown().catch(() => undefined);
    throw error;
  }

  let state: CostspanHandle['state'] = 'running';
  let shutdownPromise: Promise<void> | undefined;
  let removeHooks: (() => void) | undefined;
  const handle: CostspanHandle = {
    get state() {
      return state;
    },
    costEnabled: cost !== undefined,
    forceFlush: async () => {
      if (state !== 'running') return;
      const results = await Promise.allSettled([
        ...spanProcessors.map((p) => p.forceFlush()),
        ...metricReaders.map((r) => r.forceFlush()),
      ]);
      for (const r of results) if (r.status === 'rejected') diag.warn(`costspan: flush failed: ${describe(r.reason)}`);
    },
    shutdown: () => {
      shutdownPromise ??= (async () => {
        removeHooks?.();
        try {
          await sdk.shutdown();
        } catch (error) {
          diag.warn(`costspan: shutdown failed: ${describe(error)}`);
        }
        state = 'shut down';
      })();
      return shutdownPromise;
    },
  };
  if (options.handleSignals !== false) {
    removeHooks = installExitHooks(handle, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
  }
  return handle;
}

function inactiveHandle(state: 'disabled' | 'failed'): CostspanHandle {
  return {
    state,
    costEnabled: false,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
