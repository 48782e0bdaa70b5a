// A Vercel AI SDK app with telemetry on and NO costspan instrumentation: the SDK's own spans
// (ai.generateText → ai.generateText.doGenerate with ai.usage.*) are priced by the CostSpanProcessor.
// The OpenAI provider points at the local simulator, so no key and no network are needed.
import { createOpenAI } from '@ai-sdk/openai';
import { close, createProviderServer, listen } from '@costspan/example-provider-simulator';
import { CostSpanProcessor } from '@costspan/processor';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { generateText } from 'ai';

const { server } = createProviderServer();
const simulator = await listen(server);

const exporter = new InMemorySpanExporter(); // any exporter works: OTLP, console, ...
const provider = new TracerProvider({
  spanProcessors: [new CostSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
// A context manager links the SDK's inner span to its outer span, so the outer one gets costspan.cost.subtree.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);

const openai = createOpenAI({ apiKey: 'sim', baseURL: `${simulator}/v1` });
const { text, usage } = await generateText({
  model: openai.chat('gpt-4o-mini'),
  prompt: 'Write a haiku about invoices.',
  experimental_telemetry: { isEnabled: true, functionId: 'haiku' },
});
console.log(`answer: ${text.slice(0, 60)}…`);
console.log(`usage:  ${usage.inputTokens} input, ${usage.outputTokens} output tokens`);

await provider.forceFlush();
for (const span of exporter.getFinishedSpans()) {
  const a = span.attributes;
  const cost = a['gen_ai.usage.cost.amount'];
  const subtree = a['costspan.cost.subtree'];
  console.log(
    `span ${span.name}: ${cost !== undefined ? `cost $${cost} (${a['costspan.pricing.status']}, ${a['costspan.pricing.model']})` : subtree !== undefined ? `not priced again (wraps the model call); subtree $${subtree}` : 'not priced'}`,
  );
}
await provider.shutdown();
await close(server);
