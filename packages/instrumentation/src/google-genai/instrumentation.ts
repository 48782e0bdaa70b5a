import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GenAiInstrumentation } from '../internal/genai-instrumentation.js';
import { instrumentCall } from '../internal/instrument-call.js';
import { member, record } from '../internal/usage.js';
import type { GenAiInstrumentationConfig } from '../types.js';
import { PACKAGE_VERSION } from '../version.js';
import { planGenerateContent } from './generate-content.js';

/** `@google/genai` versions whose `Models` class is patched here. */
export const GOOGLE_GENAI_SUPPORTED_VERSIONS = ['>=1.0.0 <4'];

type Method = (this: unknown, ...args: unknown[]) => unknown;

function modelsPrototype(moduleExports: unknown) {
  return record(member(member(moduleExports)?.Models)?.prototype);
}

/**
 * Records `models.generateContent` and `models.generateContentStream` of `@google/genai`. The public methods are
 * per-instance arrow functions, so the prototype methods they call for each model request
 * (`generateContentInternal`, `generateContentStreamInternal`) are patched: one span per billed request, also when
 * automatic function calling or continuation makes several.
 */
export class GoogleGenAIInstrumentation extends GenAiInstrumentation<GenAiInstrumentationConfig> {
  constructor(config: GenAiInstrumentationConfig = {}) {
    super('@costspan/instrumentation-google-genai', PACKAGE_VERSION, config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@google/genai',
      GOOGLE_GENAI_SUPPORTED_VERSIONS,
      (moduleExports) => {
        const proto = modelsPrototype(moduleExports);
        const telemetry = () => this.callTelemetry();
        const keepContent = () => this.callTelemetry().captureContent;
        for (const [name, stream] of [
          ['generateContentInternal', false],
          ['generateContentStreamInternal', true],
        ] as const) {
          this.wrapMethod(proto, name, (original: Method) => {
            return function generate(this: unknown, ...args: unknown[]) {
              return instrumentCall(original, this, args, telemetry, (models, callArgs) =>
                planGenerateContent(models, callArgs, stream, keepContent()),
              );
            };
          });
        }
        return moduleExports;
      },
      (moduleExports) => {
        const proto = modelsPrototype(moduleExports);
        this.unwrapMethod(proto, 'generateContentInternal');
        this.unwrapMethod(proto, 'generateContentStreamInternal');
      },
    );
  }
}
