/**
 * `node --require @costspan/node/register app.js`: starts costspan from the environment before the app's first
 * `require`. CommonJS apps only (ESM apps use `--import`). Loads the ESM implementation with require(esm)
 * (Node >= 20.19 / 22.12); where that is missing, one error line and the app runs without telemetry.
 */
try {
  const costspan: typeof import('./start-costspan.js') = require('./start-costspan.js');
  costspan.startCostspan();
} catch (error) {
  process.stderr.write(
    `costspan: error: could not load @costspan/node with --require on Node ${process.versions.node} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); use --import @costspan/node/register (or Node >= 20.19 / 22.12). The application runs without telemetry\n`,
  );
}
