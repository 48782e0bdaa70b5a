import { exportParquet, openStore } from '@costspan/reporting';
import { type ArgValues, parseCommandArgs, str } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { defaultIo, guard } from './command-io.js';

export const EXPORT_USAGE = `usage: costspan export --store FILE --parquet DIR

  Writes the store's spans and GPU node windows as hive-partitioned Parquet under DIR
  (inference_spans/day=YYYY-MM-DD/node=N/…, gpu_node_windows/day=…/node=…/…), in new files, so the collectors of
  several node groups can export into one directory; \`costspan report --parquet DIR\` (or any engine that reads
  Parquet) then reports on all of them. Export each store once per directory: a second export adds its rows again.
`;

const OPTIONS = {
  store: { type: 'string' },
  parquet: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `costspan export`: returns the exit code (0 ok, 1 store problem, 2 bad flags). */
export async function runExportCommand(argv: string[], io: CommandStreams = defaultIo()): Promise<number> {
  return guard(io, EXPORT_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(EXPORT_USAGE);
      return 0;
    }
    const storePath = str(values, 'store');
    const dir = str(values, 'parquet');
    if (!storePath) throw new UsageError('--store FILE is required');
    if (!dir) throw new UsageError('--parquet DIR is required');
    const store = await openStore(storePath);
    try {
      const written = await exportParquet(store.connection, dir);
      const parts = Object.entries(written).map(([table, n]) => `${n} ${table}`);
      io.stdout.write(`exported ${parts.join(', ')} to ${dir}\n`);
      return 0;
    } finally {
      store.close();
    }
  });
}
