import { AnthropicInstrumentation, GoogleGenAIInstrumentation, OpenAIInstrumentation } from '@costspan/instrumentation';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { CostspanInstrumentationOptions, InstrumentationName } from './types.js';

const FACTORIES: Record<InstrumentationName, (options: CostspanInstrumentationOptions) => Instrumentation> = {
  http: (o) => new HttpInstrumentation(o.http),
  openai: (o) => new OpenAIInstrumentation(o.openai),
  anthropic: (o) => new AnthropicInstrumentation(o.anthropic),
  'google-genai': (o) => new GoogleGenAIInstrumentation(o['google-genai']),
};

/** Creates (and thereby enables) the named instrumentations. */
export function createInstrumentations(
  names: readonly InstrumentationName[],
  options: CostspanInstrumentationOptions = {},
): Instrumentation[] {
  return names.map((name) => FACTORIES[name](options));
}
