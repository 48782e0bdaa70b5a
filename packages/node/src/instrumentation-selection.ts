import { type Env, listFromEnv, type Warn } from './otel-env.js';
import type { InstrumentationName } from './types.js';

/** Every instrumentation @costspan/node can start, in start order. */
export const INSTRUMENTATION_NAMES: readonly InstrumentationName[] = ['http', 'openai', 'anthropic', 'google-genai'];

/**
 * Which instrumentations to start: all of them, or only those in OTEL_NODE_ENABLED_INSTRUMENTATIONS, minus those
 * in OTEL_NODE_DISABLED_INSTRUMENTATIONS. Unknown names are warned about once and ignored.
 */
export function selectInstrumentations(env: Env, warn: Warn): InstrumentationName[] {
  const known = (variable: string): Set<InstrumentationName> | undefined => {
    const names = listFromEnv(env, variable);
    if (names === undefined) return undefined;
    const out = new Set<InstrumentationName>();
    for (const name of names) {
      if ((INSTRUMENTATION_NAMES as readonly string[]).includes(name)) out.add(name as InstrumentationName);
      else
        warn(
          `${variable}:${name}`,
          `${variable}: '${name}' is not an instrumentation of @costspan/node (${INSTRUMENTATION_NAMES.join(', ')}); ignored`,
        );
    }
    return out;
  };
  const enabled = known('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = known('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? new Set();
  return INSTRUMENTATION_NAMES.filter((name) => (enabled === undefined || enabled.has(name)) && !disabled.has(name));
}
