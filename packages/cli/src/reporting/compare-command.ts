import { createPriceBook, displayUsd, formatUsd, MoneyParseError, parseDecimalToNanos } from '@costspan/pricing';
import type { TokenProfile } from '@costspan/reporting';
import {
  type CompareResult,
  compareBuildVsBuy,
  InputError,
  measureNode,
  openStore,
  parseThroughput,
  queryNodeProfile,
  readNodeWindows,
  sourceOfStore,
  storeTimeBounds,
  textTable,
} from '@costspan/reporting';
import { type ArgValues, nonNegativeInt, oneOf, parseCommandArgs, str, strs } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { defaultIo, emit, guard } from './command-io.js';

export const COMPARE_USAGE = `usage: costspan compare (--rate USD_PER_HOUR --throughput REQ_PER_HOUR | --store FILE --node NAME)
         --model M [--model M ...] [--input-tokens N] [--cached-tokens N] [--output-tokens N]
         [--utilization 10,20,50,80,100] [--prices FILE] [--format table|json]

  Build vs buy: self-hosted cost per request at each utilization beside the API price of each catalog model for
  the same token profile, and the break-even request rate. --model accepts provider:model (openai:gpt-4o-mini).
  With --store and --node the node's hourly rate, its throughput (requests per busy hour) and, unless given, the
  mean token profile of its requests are read from the store; --rate/--throughput override them.
`;

const OPTIONS = {
  rate: { type: 'string' },
  throughput: { type: 'string' },
  store: { type: 'string' },
  node: { type: 'string' },
  model: { type: 'string', multiple: true },
  'input-tokens': { type: 'string' },
  'cached-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  utilization: { type: 'string' },
  prices: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `costspan compare`: returns the exit code (0 ok, 1 data/store problem, 2 bad flags). */
export async function runCompareCommand(argv: string[], io: CommandStreams = defaultIo()): Promise<number> {
  return guard(io, COMPARE_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(COMPARE_USAGE);
      return 0;
    }
    const models = strs(values, 'model').map((m) => {
      const colon = m.indexOf(':');
      return colon > 0 ? { provider: m.slice(0, colon), model: m.slice(colon + 1) } : { model: m };
    });
    if (models.length === 0) throw new UsageError('give at least one --model to compare with');
    const format = oneOf('format', str(values, 'format'), ['table', 'json'] as const, 'table');
    const utilizations = (str(values, 'utilization') ?? '10,20,50,80,100').split(',').map((u) => {
      const n = Number(u.trim().replace(/%$/, ''));
      if (!Number.isInteger(n) || n <= 0 || n > 100)
        throw new UsageError(`--utilization: ${JSON.stringify(u)} is not a percentage 1–100`);
      return n;
    });
    let rate: bigint | undefined;
    const rateText = str(values, 'rate');
    if (rateText !== undefined) {
      try {
        rate = parseDecimalToNanos(rateText);
      } catch (error) {
        if (error instanceof MoneyParseError)
          throw new UsageError(`--rate must be USD per hour, e.g. 2.49; got ${JSON.stringify(rateText)}`);
        throw error;
      }
      if (rate <= 0n) throw new UsageError('--rate must be positive');
    }
    let throughput = str(values, 'throughput');
    if (throughput !== undefined && parseThroughput(throughput) === null) {
      throw new UsageError(
        `--throughput must be a positive number of requests per hour; got ${JSON.stringify(throughput)}`,
      );
    }
    const profileArgs = {
      inputTokens: str(values, 'input-tokens'),
      cachedTokens: str(values, 'cached-tokens'),
      outputTokens: str(values, 'output-tokens'),
    };
    let measured: TokenProfile | undefined;
    const storePath = str(values, 'store');
    const node = str(values, 'node');
    if ((storePath === undefined) !== (node === undefined)) throw new UsageError('--store and --node go together');
    if (storePath && node) {
      const store = await openStore(storePath);
      try {
        const source = await sourceOfStore(store);
        const bounds = await storeTimeBounds(source);
        const range = bounds ?? { from: 0, to: Number.MAX_SAFE_INTEGER };
        const windows = (await readNodeWindows(source, { from: 0, to: Number.MAX_SAFE_INTEGER })).filter(
          (w) => w.node === node,
        );
        const m = measureNode(windows);
        if (!m && (rate === undefined || throughput === undefined)) {
          throw new InputError(
            `node ${node} has no windows with requests in ${storePath}; pass --rate and --throughput`,
          );
        }
        rate ??= m?.hourlyRate;
        throughput ??= m?.throughputPerHour;
        measured = (await queryNodeProfile(source, range, node)) ?? undefined;
      } finally {
        store.close();
      }
    }
    if (rate === undefined) throw new UsageError('--rate USD_PER_HOUR is required (or --store with --node)');
    if (throughput === undefined)
      throw new UsageError('--throughput REQ_PER_HOUR is required (or --store with --node)');
    const profile: TokenProfile = {
      inputTokens: nonNegativeInt('input-tokens', profileArgs.inputTokens, measured?.inputTokens ?? -1),
      cachedTokens: nonNegativeInt('cached-tokens', profileArgs.cachedTokens, measured?.cachedTokens ?? 0),
      outputTokens: nonNegativeInt('output-tokens', profileArgs.outputTokens, measured?.outputTokens ?? -1),
    };
    if (profile.inputTokens < 0 || profile.outputTokens < 0) {
      throw new UsageError('--input-tokens and --output-tokens are required (or --store with --node to measure them)');
    }
    if (profile.cachedTokens > profile.inputTokens)
      throw new UsageError('--cached-tokens cannot exceed --input-tokens');
    let book: ReturnType<typeof createPriceBook>;
    try {
      book = createPriceBook(str(values, 'prices') ? { overrides: str(values, 'prices')! } : {});
    } catch (error) {
      throw new InputError(error instanceof Error ? error.message : String(error));
    }
    const result = compareBuildVsBuy(book, {
      hourlyRate: rate,
      throughputPerHour: throughput,
      utilizations,
      profile,
      models,
    });
    await emit(
      io,
      format === 'json'
        ? compareJson(rate, throughput, profile, result)
        : compareTable(rate, throughput, profile, result),
      undefined,
    );
    return 0;
  });
}

function compareJson(rate: bigint, throughput: string, profile: TokenProfile, result: CompareResult): string {
  return `${JSON.stringify(
    {
      hourlyRate: formatUsd(rate),
      throughputPerHour: Number(throughput),
      profile,
      selfHosted: result.selfHosted.map((p) => ({
        utilization: p.utilization,
        costPerRequest: formatUsd(p.costPerRequest),
      })),
      api: result.api.map((a) => ({
        provider: a.provider,
        model: a.model,
        pricePerRequest: a.pricePerRequest === null ? null : formatUsd(a.pricePerRequest),
        breakEvenPerHour: a.breakEvenPerHour,
        breakEvenUtilization: a.breakEvenUtilization,
        ...(a.reason ? { reason: a.reason } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

function compareTable(rate: bigint, throughput: string, profile: TokenProfile, result: CompareResult): string {
  const head = `build vs buy  node ${displayUsd(rate)}/h, ${Number(throughput).toLocaleString('en-US')} requests/h at 100 %; profile ${profile.inputTokens} input (${profile.cachedTokens} cached) + ${profile.outputTokens} output tokens\n`;
  const selfHosted = textTable(
    ['utilization', 'self-hosted cost/request'],
    result.selfHosted.map((p) => [`${p.utilization}%`, displayUsd(p.costPerRequest)]),
  );
  const api = textTable(
    ['API model', 'price/request', 'break-even requests/h', 'break-even utilization'],
    result.api.map((a) => [
      `${a.provider ? `${a.provider}:` : ''}${a.model}`,
      a.pricePerRequest === null ? `unpriced (${a.reason ?? 'unknown model'})` : displayUsd(a.pricePerRequest),
      a.breakEvenPerHour === null ? '-' : a.breakEvenPerHour.toFixed(1),
      a.breakEvenUtilization === null
        ? '-'
        : a.breakEvenUtilization > 1
          ? `never (needs ${(a.breakEvenUtilization * 100).toFixed(0)}%)`
          : `${(a.breakEvenUtilization * 100).toFixed(1)}%`,
    ]),
    [false, true, true, true],
  );
  return `${head}\n${selfHosted}\n${api}`;
}
