// The arms: how each is switched on in an application, on the one tracer provider the child installs. `setup` runs
// before the openai module is loaded (with `require`, so each instrumentation's hook patches it) and returns the
// span processors that go before the BatchSpanProcessor.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerInstrumentations } from '@opentelemetry/instrumentation';

const require = createRequire(import.meta.url);
const register = (...instrumentations) => registerInstrumentations({ instrumentations });

/** @type {Record<string, { label: string, package?: string, writesCost: boolean, setup: (tracing: { provider: unknown, tracer: unknown }) => Promise<void> }>} */
export const ARMS = {
  none: {
    label: 'no instrumentation',
    writesCost: false,
    async setup() {},
  },
  'otel-openai': {
    label: '@opentelemetry/instrumentation-openai',
    package: '@opentelemetry/instrumentation-openai',
    writesCost: false,
    async setup() {
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      register(new OpenAIInstrumentation());
    },
  },
  openinference: {
    label: '@arizeai/openinference-instrumentation-openai',
    package: '@arizeai/openinference-instrumentation-openai',
    writesCost: false,
    async setup() {
      const { OpenAIInstrumentation } = await import('@arizeai/openinference-instrumentation-openai');
      register(new OpenAIInstrumentation());
    },
  },
  openllmetry: {
    label: '@traceloop/instrumentation-openai',
    package: '@traceloop/instrumentation-openai',
    writesCost: false,
    async setup() {
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      register(new OpenAIInstrumentation());
    },
  },
  openlit: {
    label: 'openlit (gen_ai.usage.cost)',
    package: 'openlit',
    writesCost: true,
    async setup(tracing) {
      // As the conformance suite runs it: the application keeps its provider and OpenLIT's instrumentations are
      // registered on it (as `Openlit.init` does on a provider it builds). Prices from `pricingJson`: no network.
      const { Openlit } = require('openlit');
      Openlit.init({
        tracer: tracing.tracer,
        applicationName: 'bench',
        disableMetrics: true,
        disableEvents: true,
        pricingJson: { chat: { 'gpt-4o-mini': { promptPrice: 0.00015, completionPrice: 0.0006 } } },
      });
      const dist = dirname(require.resolve('openlit'));
      require(join(dist, 'config.js')).default.updateConfig({
        ...Openlit.options,
        resource: Openlit.resource,
        tracer: tracing.provider,
      });
      require(join(dist, 'instrumentation/index.js')).default.setup(tracing.provider, [
        'http',
        'undici',
        'express',
        'fastify',
        'koa',
        'hapi',
        'nestjs-core',
      ]);
      // pricingJson is applied on a later tick
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  },
  costspan: {
    label: "costspan, attributes 'full'",
    package: '@costspan/instrumentation',
    writesCost: true,
    async setup() {
      const { OpenAIInstrumentation } = await import('@costspan/instrumentation');
      register(new OpenAIInstrumentation());
    },
  },
  'costspan-spans': {
    label: 'costspan instrumentation alone (no processor, no cost)',
    package: '@costspan/instrumentation',
    writesCost: false,
    async setup() {
      const { OpenAIInstrumentation } = await import('@costspan/instrumentation');
      register(new OpenAIInstrumentation());
    },
  },
  'costspan-essential': {
    label: "costspan, attributes 'essential'",
    package: '@costspan/instrumentation',
    writesCost: true,
    async setup() {
      const { OpenAIInstrumentation } = await import('@costspan/instrumentation');
      register(new OpenAIInstrumentation());
    },
  },
};

/** The processors an arm puts before the exporting BatchSpanProcessor. */
export async function costProcessors(arm) {
  if (arm !== 'costspan' && arm !== 'costspan-essential') return [];
  const { CostSpanProcessor } = await import('@costspan/processor');
  return [new CostSpanProcessor({ attributes: arm === 'costspan' ? 'full' : 'essential' })];
}
