// Loaded with `node --import`: registers the import-in-the-middle loader, then the instrumentations, with an
// exporter that prints each finished span as one JSON line on stdout.
import { register } from 'node:module';
import { trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation, GoogleGenAIInstrumentation, OpenAIInstrumentation } from '../../dist/index.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
const exporter = {
  export(spans, done) {
    for (const s of spans) {
      process.stdout.write(
        `${JSON.stringify({ name: s.name, scope: s.instrumentationScope.name, attributes: s.attributes })}\n`,
      );
    }
    done({ code: 0 });
  },
  shutdown: async () => {},
};
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
registerInstrumentations({
  instrumentations: [new OpenAIInstrumentation(), new AnthropicInstrumentation(), new GoogleGenAIInstrumentation()],
});
