/** `costspan consolidate`: node consolidation from @costspan/reporting, with the shared file's gpu rates. */
import { loadCollectorConfig } from '@costspan/collector';
import type { Command } from '../command.js';
import { CONSOLIDATE_USAGE, runConsolidateCommand } from '../reporting/consolidate-command.js';
import { reportingIo } from './reporting.js';

export const consolidateCommand: Command = {
  path: ['consolidate'],
  summary: 'Replay GPU nodes’ requests onto fewer nodes: utilization, cost per request, idle, concurrency headroom',
  help: CONSOLIDATE_USAGE.trimEnd(),
  run: (args, io) => runConsolidateCommand(args, reportingIo(io), { loadGpu: (path) => loadCollectorConfig(path).gpu }),
};
