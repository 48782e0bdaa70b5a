import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GenAiInstrumentation } from '../internal/genai-instrumentation.js';
import { instrumentCall } from '../internal/instrument-call.js';
import { member, record } from '../internal/usage.js';
import type { GenAiInstrumentationConfig } from '../types.js';
import { PACKAGE_VERSION } from '../version.js';
import { planMessage } from './messages.js';

/** `@anthropic-ai/sdk` versions whose `Messages` resource class is patched here. */
export const ANTHROPIC_SUPPORTED_VERSIONS = ['>=0.30.0 <2'];

type Method = (this: unknown, ...args: unknown[]) => unknown;

function messagesPrototype(moduleExports: unknown) {
  const exports = member(moduleExports);
  const Anthropic = member(exports?.Anthropic ?? exports?.default);
  return record(member(Anthropic?.Messages)?.prototype);
}

/**
 * Records `messages.create` (plain and `stream: true`) and `messages.stream()` of `@anthropic-ai/sdk` as OTel GenAI
 * CLIENT spans with all-input usage, cache reads, 5-minute and 1-hour cache writes and web-search requests.
 */
export class AnthropicInstrumentation extends GenAiInstrumentation<GenAiInstrumentationConfig> {
  constructor(config: GenAiInstrumentationConfig = {}) {
    super('@costspan/instrumentation-anthropic', PACKAGE_VERSION, config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@anthropic-ai/sdk',
      ANTHROPIC_SUPPORTED_VERSIONS,
      (moduleExports) => {
        const telemetry = () => this.callTelemetry();
        this.wrapMethod(messagesPrototype(moduleExports), 'create', (original: Method) => {
          return function create(this: unknown, ...args: unknown[]) {
            return instrumentCall(original, this, args, telemetry, planMessage);
          };
        });
        return moduleExports;
      },
      (moduleExports) => this.unwrapMethod(messagesPrototype(moduleExports), 'create'),
    );
  }
}
