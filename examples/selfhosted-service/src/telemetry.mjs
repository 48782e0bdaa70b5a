// Plain OpenTelemetry, no cost in this process: spans go over OTLP to the costspan collector, which prices them
// and allocates the GPU node's time (it sees every caller of the node). Load with
//   node --import ./src/telemetry.mjs src/server.mjs
import { OpenAIInstrumentation } from '@costspan/instrumentation';
import { registerLoaderHook } from '@costspan/node';
import { propagation } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';

registerLoaderHook(); // so `import OpenAI from 'openai'` in the app is instrumented

/** Copies W3C baggage entries (costspan.feature, costspan.tenant) onto every span, for the collector to read. */
class BaggageToAttributes {
  onStart(span, parentContext) {
    const baggage = propagation.getBaggage(parentContext);
    if (baggage) for (const [key, entry] of baggage.getAllEntries()) span.setAttribute(key, entry.value);
  }
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

const sdk = new NodeSDK({
  spanProcessors: [
    new BaggageToAttributes(),
    new tracing.BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 }),
  ],
  instrumentations: [new OpenAIInstrumentation(), new HttpInstrumentation()],
});
sdk.start();
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    sdk.shutdown().finally(() => process.exit(0));
  });
}
