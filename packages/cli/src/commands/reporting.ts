/** `costspan report | reconcile | compare | export`: ../reporting/ over @costspan/reporting's functions. */
import type { Command, CommandIo, CommandStreams } from '../command.js';
import { COMPARE_USAGE, runCompareCommand } from '../reporting/compare-command.js';
import { EXPORT_USAGE, runExportCommand } from '../reporting/export-command.js';
import { RECONCILE_USAGE, runReconcileCommand } from '../reporting/reconcile-command.js';
import { REPORT_USAGE, runReportCommand } from '../reporting/report-command.js';

/** Adapts the CLI's io to the streams the reporting commands write to (the process streams when in the bin). */
export function reportingIo(io: CommandIo): CommandStreams {
  if (io.streams) return io.streams;
  const lines = (write: (text: string) => void) => ({
    write(chunk: string) {
      write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk);
      return true;
    },
  });
  return { stdout: lines(io.out), stderr: lines(io.err), isTTY: false };
}

export const reportCommand: Command = {
  path: ['report'],
  summary: 'Roll up stored costs by day, feature, tenant, model, provider or node; outliers, what-if, margin, HTML',
  help: REPORT_USAGE.trimEnd(),
  run: (args, io) => runReportCommand(args, reportingIo(io)),
};

export const reconcileCommand: Command = {
  path: ['reconcile'],
  summary: 'Compare estimates with an invoice (FOCUS, OpenAI costs, Anthropic cost report) and store adjustments',
  help: RECONCILE_USAGE.trimEnd(),
  run: (args, io) => runReconcileCommand(args, reportingIo(io)),
};

export const compareCommand: Command = {
  path: ['compare'],
  summary: 'Build vs buy: self-hosted cost per request at several utilizations beside API prices',
  help: COMPARE_USAGE.trimEnd(),
  run: (args, io) => runCompareCommand(args, reportingIo(io)),
};

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Write the store as hive-partitioned Parquet (by day and node) for reports across collectors',
  help: EXPORT_USAGE.trimEnd(),
  run: (args, io) => runExportCommand(args, reportingIo(io)),
};
