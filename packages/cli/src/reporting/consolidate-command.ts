import { microsToNanos } from '@costspan/allocation';
import { displayUsd, divRound, formatUsd } from '@costspan/pricing';
import type { ScenarioResult } from '@costspan/reporting';
import { type ConsolidationResult, consolidateNodes, InputError, openStore, textTable } from '@costspan/reporting';
import { type ArgValues, oneOf, parseCommandArgs, positiveInt, str } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { defaultIo, emit, guard } from './command-io.js';

export const CONSOLIDATE_USAGE = `usage: costspan consolidate --store FILE --nodes A,B,C [--max-concurrency N] [--config FILE]
         [--format table|json]

  Replays the requests the listed GPU nodes served (their spans' start and end, in start order) onto 1..N of
  them — greedy first-fit in the order given, so onto k nodes keeps the first k — holding each node to
  --max-concurrency requests in flight (default: the highest peak observed on any listed node; a request that
  finds every node full waits for the first free slot). For the observed placement and each k it prints
  utilization, node cost, cost per request, idle share, and the concurrency headroom (peak and p99 in flight vs
  the limit, requests that waited). Node cost comes from @costspan/allocation's exact window allocation; hourly
  rates from the gpu section of --config (the shared costspan.yaml), else measured from gpu_node_windows.
  Money in JSON is decimal USD strings.
`;

const OPTIONS = {
  store: { type: 'string' },
  nodes: { type: 'string' },
  'max-concurrency': { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ConsolidateCommandOptions {
  /** Reads the `gpu` section of a shared configuration file (the CLI passes the collector's reader). */
  loadGpu?: (path: string) => unknown;
}

/** `costspan consolidate`: returns the exit code (0 ok, 1 data/store problem, 2 bad flags). */
export async function runConsolidateCommand(
  argv: string[],
  io: CommandStreams = defaultIo(),
  options: ConsolidateCommandOptions = {},
): Promise<number> {
  return guard(io, CONSOLIDATE_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(CONSOLIDATE_USAGE);
      return 0;
    }
    const storePath = str(values, 'store');
    if (storePath === undefined) throw new UsageError('--store FILE is required');
    const nodes = (str(values, 'nodes') ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (nodes.length === 0) throw new UsageError('--nodes A,B,C is required');
    if (new Set(nodes).size !== nodes.length) throw new UsageError('--nodes lists a node twice');
    const maxConcurrency = positiveInt('max-concurrency', str(values, 'max-concurrency'));
    const format = oneOf('format', str(values, 'format'), ['table', 'json'] as const, 'table');
    let gpu: unknown;
    const config = str(values, 'config');
    if (config !== undefined) {
      if (!options.loadGpu) throw new UsageError('--config is read by the costspan CLI');
      try {
        gpu = options.loadGpu(config);
      } catch (error) {
        throw new InputError(`--config ${config}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (gpu === undefined) throw new InputError(`--config ${config} has no gpu section`);
    }
    const store = await openStore(storePath);
    let result: ConsolidationResult;
    try {
      result = await consolidateNodes(store.connection, {
        nodes,
        ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
        ...(gpu === undefined ? {} : { gpu }),
      });
    } finally {
      store.close();
    }
    await emit(io, format === 'json' ? consolidateJson(result) : consolidateTable(result), undefined);
    return 0;
  });
}

const perRequest = (s: ScenarioResult) =>
  s.requests === 0 ? null : divRound(microsToNanos(s.nodeCostMicros), BigInt(s.requests));

function consolidateJson(result: ConsolidationResult): string {
  return `${JSON.stringify(
    {
      nodes: result.nodes,
      rates: result.rates.map((r) => ({ ...r, hourlyRate: String(r.hourlyRate) })),
      observedPeaks: result.observedPeaks,
      limit: result.limit,
      scenarios: result.scenarios.map((s) => ({
        scenario: s.scenario,
        nodes: s.nodes,
        requests: s.requests,
        utilization: s.utilization,
        nodeCost: formatUsd(microsToNanos(s.nodeCostMicros)),
        busyCost: formatUsd(microsToNanos(s.directMicros)),
        costPerRequest: perRequest(s) === null ? null : formatUsd(perRequest(s)!),
        idleShare: s.idleShare,
        peakInFlight: s.peakInFlight,
        p99InFlight: s.p99InFlight,
        limit: s.limit,
        queued: s.queued,
        maxWaitMs: s.maxWaitMs,
      })),
    },
    null,
    2,
  )}\n`;
}

function consolidateTable(result: ConsolidationResult): string {
  const rates = result.rates.map((r) => `${r.node} $${r.hourlyRate}/h`).join(', ');
  const head = `consolidate ${result.nodes.join(', ')} (${rates}; limit ${result.limit} in flight per node)\n`;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const rows = result.scenarios.map((s) => [
    s.scenario === 'observed' ? `observed (${s.nodes.length})` : String(s.scenario),
    String(s.requests),
    pct(s.utilization),
    displayUsd(microsToNanos(s.nodeCostMicros)),
    perRequest(s) === null ? '-' : displayUsd(perRequest(s)!),
    pct(s.idleShare),
    String(s.peakInFlight),
    String(s.p99InFlight),
    s.limit === null ? '-' : String(s.limit),
    s.queued === 0 ? '0' : `${s.queued} (max ${Math.round(s.maxWaitMs)} ms)`,
  ]);
  return (
    head +
    textTable(
      [
        'nodes',
        'requests',
        'utilization',
        'node cost',
        'per request',
        'idle',
        'peak',
        'p99 in flight',
        'limit',
        'waited',
      ],
      rows,
    )
  );
}
