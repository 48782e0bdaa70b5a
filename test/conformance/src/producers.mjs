// How each producer is switched on in an application, and which calls it sees. `setup` runs in the child process
// before any SDK is loaded; it returns the SDK modules, loaded with `require` so the instrumentation's hook patches
// them (as in an application started with `--require` / a CJS entry point).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerInstrumentations } from '@opentelemetry/instrumentation';

const require = createRequire(import.meta.url);
const sdks = () => ({ OpenAI: require('openai').OpenAI, Anthropic: require('@anthropic-ai/sdk').Anthropic });

/**
 * OpenLLMetry's Anthropic instrumentation patches `Anthropic.Completions`, which @anthropic-ai/sdk 1.x removed: on
 * 1.x it throws from the `require` hook, so it runs against the last 0.x SDK (installed as `anthropic-sdk-0x`,
 * which the hook does not match by name, so the instrumentation's manual entry point patches it).
 */
const traceloopAnthropic = async () => {
  const { AnthropicInstrumentation } = await import('@traceloop/instrumentation-anthropic');
  const instrumentation = new AnthropicInstrumentation();
  register(instrumentation);
  /** @type {any} the 0.x SDK, whose types differ from the 1.x the instrumentation is typed against */
  const mod = require('anthropic-sdk-0x');
  instrumentation.manuallyInstrument(mod);
  return { Anthropic: mod.Anthropic };
};

/** As an application registers them: global tracer and meter providers, then `enable()`. */
const register = (...instrumentations) => registerInstrumentations({ instrumentations });

const OPENAI = ['openai.chat', 'openai.chat.cache-write', 'openai.chat.stream'];
const ANTHROPIC = ['anthropic.messages', 'anthropic.messages.stream', 'anthropic.stream-helper'];

/** @type {Record<string, { package: string, scenarios: string[], anthropicTracing?: boolean, client?: string, setup: (h: any) => Promise<any> }>} */
export const PRODUCERS = {
  costspan: {
    package: '@costspan/instrumentation',
    scenarios: [...OPENAI, ...ANTHROPIC],
    anthropicTracing: false,
    async setup() {
      const { AnthropicInstrumentation, OpenAIInstrumentation } = await import('@costspan/instrumentation');
      register(new OpenAIInstrumentation());
      register(new AnthropicInstrumentation());
      return sdks();
    },
  },
  'anthropic-sdk': {
    package: '@anthropic-ai/sdk',
    scenarios: ANTHROPIC,
    anthropicTracing: true,
    async setup() {
      return sdks();
    },
  },
  'costspan+anthropic-sdk': {
    package: '@costspan/instrumentation',
    scenarios: ANTHROPIC,
    anthropicTracing: true,
    async setup() {
      const { AnthropicInstrumentation } = await import('@costspan/instrumentation');
      register(new AnthropicInstrumentation());
      return sdks();
    },
  },
  'otel-openai': {
    package: '@opentelemetry/instrumentation-openai',
    scenarios: OPENAI,
    async setup() {
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      register(new OpenAIInstrumentation());
      return sdks();
    },
  },
  'openinference-openai': {
    package: '@arizeai/openinference-instrumentation-openai',
    scenarios: OPENAI,
    async setup() {
      const { OpenAIInstrumentation } = await import('@arizeai/openinference-instrumentation-openai');
      register(new OpenAIInstrumentation());
      return sdks();
    },
  },
  'openinference-anthropic': {
    package: '@arizeai/openinference-instrumentation-anthropic',
    scenarios: ANTHROPIC,
    anthropicTracing: false,
    async setup() {
      const { AnthropicInstrumentation } = await import('@arizeai/openinference-instrumentation-anthropic');
      register(new AnthropicInstrumentation());
      return sdks();
    },
  },
  'openinference-anthropic+anthropic-sdk': {
    package: '@arizeai/openinference-instrumentation-anthropic',
    scenarios: ANTHROPIC,
    anthropicTracing: true,
    async setup() {
      const { AnthropicInstrumentation } = await import('@arizeai/openinference-instrumentation-anthropic');
      register(new AnthropicInstrumentation());
      return sdks();
    },
  },
  'openllmetry-openai': {
    package: '@traceloop/instrumentation-openai',
    scenarios: OPENAI,
    async setup() {
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      register(new OpenAIInstrumentation());
      return sdks();
    },
  },
  'openllmetry-anthropic': {
    package: '@traceloop/instrumentation-anthropic',
    scenarios: ANTHROPIC,
    anthropicTracing: false,
    client: '@anthropic-ai/sdk 0.137.0',
    setup: traceloopAnthropic,
  },
  'openllmetry-anthropic+anthropic-sdk': {
    package: '@traceloop/instrumentation-anthropic',
    scenarios: ANTHROPIC,
    anthropicTracing: true,
    client: '@anthropic-ai/sdk 0.137.0',
    setup: traceloopAnthropic,
  },
  openlit: {
    package: 'openlit',
    // OpenLIT's wrapper returns a plain promise where the SDK returns an APIPromise: `messages.stream()` throws
    // (`withResponse is not a function`), so that call is not part of its cases.
    scenarios: [...OPENAI, 'anthropic.messages', 'anthropic.messages.stream'],
    anthropicTracing: false,
    async setup(h) {
      // OpenLIT either builds and registers its own tracer provider (no way to add a span processor to it on
      // sdk-trace 2.x), or, given the application's `tracer`, skips registering its instrumentations. An
      // application that keeps its provider registers OpenLIT's instrumentations on it, as `Openlit.init` does on
      // the provider it builds. Its prices come from `pricingJson` (per 1K tokens): no network.
      const { Openlit } = require('openlit');
      Openlit.init({
        tracer: h.tracing.tracer,
        applicationName: 'conformance',
        disableMetrics: true,
        disableEvents: true,
        pricingJson: {
          chat: {
            'o4-mini': { promptPrice: 0.0011, completionPrice: 0.0044 },
            'gpt-4.1-mini': { promptPrice: 0.0004, completionPrice: 0.0016 },
            'claude-sonnet-4-5': { promptPrice: 0.003, completionPrice: 0.015 },
            'claude-haiku-4-5': { promptPrice: 0.001, completionPrice: 0.005 },
          },
        },
      });
      const dist = dirname(require.resolve('openlit'));
      require(join(dist, 'config.js')).default.updateConfig({
        ...Openlit.options,
        resource: Openlit.resource,
        tracer: h.tracing.provider,
      });
      require(join(dist, 'instrumentation/index.js')).default.setup(h.tracing.provider, [
        'http',
        'undici',
        'express',
        'fastify',
        'koa',
        'hapi',
        'nestjs-core',
      ]);
      // pricingJson is applied on a later tick
      await new Promise((r) => setTimeout(r, 10));
      return sdks();
    },
  },
  'ai-sdk': {
    package: 'ai',
    scenarios: ['ai.generateText', 'ai.streamText'],
    async setup() {
      return {};
    },
  },
};
