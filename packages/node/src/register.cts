/**
 * `node --require @costspan/node/register app.js`: starts costspan from the environment before the app's first
 * `require`. CommonJS apps only (ESM apps use `--import`). Loads the ESM implementation with require(esm)
 * (Node >= 20.19 / 22.12).
 */
import costspan = require('./start-costspan.js');

costspan.startCostspan();
