import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GenAiInstrumentation } from '../internal/genai-instrumentation.js';
import { instrumentCall } from '../internal/instrument-call.js';
import { member, record } from '../internal/usage.js';
import type { OpenAIInstrumentationConfig } from '../types.js';
import { PACKAGE_VERSION } from '../version.js';
import { planChatCompletion } from './chat-completions.js';
import { planEmbeddings } from './embeddings.js';
import { planResponse } from './responses.js';

/** `openai` majors whose resource classes share the code path patched here. */
export const OPENAI_SUPPORTED_VERSIONS = ['>=4.0.0 <8'];

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** The resource classes of an `openai` module (CommonJS exports or ESM namespace). */
function resourceClasses(moduleExports: unknown) {
  const exports = member(moduleExports);
  const OpenAI = member(exports?.OpenAI ?? exports?.default);
  const Chat = member(OpenAI?.Chat);
  const proto = (cls: unknown) => record(member(cls)?.prototype);
  return {
    completions: proto(Chat?.Completions),
    responses: proto(OpenAI?.Responses),
    embeddings: proto(OpenAI?.Embeddings),
  };
}

/**
 * Records `chat.completions.create`, `responses.create` and `embeddings.create` of the `openai` package (4.x–7.x)
 * as OTel GenAI CLIENT spans with usage, plus the GenAI client metrics. The methods are patched on the resource
 * classes' prototypes, so every client instance is covered; `chat.completions.stream()`, `.parse()` and
 * `responses.parse()` go through `create` and are recorded once.
 */
export class OpenAIInstrumentation extends GenAiInstrumentation<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super('@costspan/instrumentation-openai', PACKAGE_VERSION, config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'openai',
      OPENAI_SUPPORTED_VERSIONS,
      (moduleExports) => {
        const classes = resourceClasses(moduleExports);
        const telemetry = () => this.callTelemetry();
        this.wrapMethod(classes.completions, 'create', (original: Method) => {
          const instrumentation = this;
          return function create(this: unknown, ...args: unknown[]) {
            return instrumentCall(original, this, args, telemetry, (resource, callArgs) =>
              planChatCompletion(resource, callArgs, instrumentation.getConfig()),
            );
          };
        });
        this.wrapMethod(classes.responses, 'create', (original: Method) => {
          return function create(this: unknown, ...args: unknown[]) {
            return instrumentCall(original, this, args, telemetry, planResponse);
          };
        });
        this.wrapMethod(classes.embeddings, 'create', (original: Method) => {
          return function create(this: unknown, ...args: unknown[]) {
            return instrumentCall(original, this, args, telemetry, planEmbeddings);
          };
        });
        return moduleExports;
      },
      (moduleExports) => {
        const classes = resourceClasses(moduleExports);
        this.unwrapMethod(classes.completions, 'create');
        this.unwrapMethod(classes.responses, 'create');
        this.unwrapMethod(classes.embeddings, 'create');
      },
    );
  }
}
