/**
 * `node --import @costspan/node/register app.js`: registers the import-in-the-middle loader (so ESM imports of
 * the LLM clients are patched too), then starts costspan from the environment.
 */
import { registerLoaderHook } from './loader-hook.js';
import { isSdkDisabled } from './otel-env.js';

if (!isSdkDisabled(process.env)) registerLoaderHook();
// Loaded after the hook is in place; startCostspan never throws.
const { startCostspan } = await import('./start-costspan.js');
startCostspan();
