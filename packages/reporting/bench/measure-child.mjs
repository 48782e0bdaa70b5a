/**
 * One measured run, in its own process so that peak memory is the run's own: `report ARGS…`, `reconcile ARGS…`
 * (the reporting commands as `costspan` runs them) or `sql STORE QUERY…` (the bare engine queries, read fully).
 * Prints one JSON line: { ms, maxRssKb, exit }.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { runReconcileCommand } from '../../cli/dist/reporting/reconcile-command.js';
import { runReportCommand } from '../../cli/dist/reporting/report-command.js';

const [mode, ...args] = process.argv.slice(2);
const sink = { write: () => true };
const io = { stdout: sink, stderr: { write: (t) => process.stderr.write(t) }, isTTY: false };
const start = performance.now();
let exit = 0;
if (mode === 'report') exit = await runReportCommand(args, io);
else if (mode === 'reconcile') exit = await runReconcileCommand(args, io);
else if (mode === 'sql') {
  const [store, ...queries] = args;
  const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  for (const query of queries) (await connection.runAndReadAll(query)).getRows();
  connection.closeSync();
  instance.closeSync();
} else throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, exit })}\n`);
