import { register } from 'node:module';
import { reportError } from './log.js';

/**
 * Registers the import-in-the-middle loader that lets the instrumentations patch ESM imports. Call it from a
 * file loaded with `node --import` (before the app's modules load); `@costspan/node/register` does. Never throws:
 * returns false (after one error line) when the hook could not be registered.
 */
export function registerLoaderHook(): boolean {
  try {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    return true;
  } catch (error) {
    reportError(
      `could not register the ESM loader hook (${error instanceof Error ? error.message : String(error)}); ESM imports are not instrumented`,
    );
    return false;
  }
}
