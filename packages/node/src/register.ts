/**
 * `node --import @costspan/node/register app.js`: registers the import-in-the-middle loader (so ESM imports of
 * the LLM clients are patched too), then starts costspan from the environment.
 */
import { register } from 'node:module';
import { reportError } from './log.js';
import { isSdkDisabled } from './otel-env.js';

if (!isSdkDisabled(process.env)) {
  try {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  } catch (error) {
    reportError(
      `could not register the ESM loader hook (${error instanceof Error ? error.message : String(error)}); ESM imports are not instrumented`,
    );
  }
}
// Loaded after the hook is in place; startCostspan never throws.
const { startCostspan } = await import('./start-costspan.js');
startCostspan();
