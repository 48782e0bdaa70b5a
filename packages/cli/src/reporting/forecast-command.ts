import { displayUsd, formatUsd } from '@costspan/pricing';
import {
  dayOf,
  type ForecastBudget,
  type ForecastResult,
  type ForecastRow,
  forecastMonth,
  INTERVAL_LEVEL,
  InputError,
  openStore,
  parseDateArg,
  parsePeriod,
  textTable,
} from '@costspan/reporting';
import { type ArgValues, oneOf, parseCommandArgs, str } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { defaultIo, emit, guard } from './command-io.js';

export const FORECAST_USAGE = `usage: costspan forecast --store FILE --by feature|tenant [--month YYYY-MM] [--as-of DATE]
         [--config FILE] [--format table|json]

  Month-end spend per feature or tenant: the month so far (exact) plus a projection of the days left, from the
  daily sums of the last 8 weeks with day-of-week seasonality and the recent (28-day) linear trend, with a
  ${INTERVAL_LEVEL * 100} % interval. --month defaults to the current UTC month; --as-of (YYYY-MM-DD or an ISO
  instant, default now) forecasts as of an earlier moment, ignoring later spend (a backtest). With --config (the
  shared costspan.yaml) each line sits beside its monthly budget (window: month), with the day the projection
  reaches it. Money in JSON is decimal USD strings.
`;

const OPTIONS = {
  store: { type: 'string' },
  by: { type: 'string' },
  month: { type: 'string' },
  'as-of': { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ForecastCommandOptions {
  /** Reads the `budgets` of a shared configuration file (the CLI passes the collector's validated reader). */
  loadBudgets?: (path: string) => ForecastBudget[];
  /** The clock (tests). */
  now?: () => number;
}

/** `costspan forecast`: returns the exit code (0 ok, 1 data/store problem, 2 bad flags). */
export async function runForecastCommand(
  argv: string[],
  io: CommandStreams = defaultIo(),
  options: ForecastCommandOptions = {},
): Promise<number> {
  return guard(io, FORECAST_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(FORECAST_USAGE);
      return 0;
    }
    const storePath = str(values, 'store');
    if (storePath === undefined) throw new UsageError('--store FILE is required');
    const byText = str(values, 'by');
    if (byText === undefined) throw new UsageError('--by feature|tenant is required');
    const by = oneOf('by', byText, ['feature', 'tenant'] as const, 'feature');
    const format = oneOf('format', str(values, 'format'), ['table', 'json'] as const, 'table');
    const now = (options.now ?? Date.now)();
    const asOfText = str(values, 'as-of');
    const asOf = asOfText === undefined ? now : parseDateArg(asOfText);
    if (asOf === null) throw new UsageError(`--as-of must be YYYY-MM-DD or an ISO instant; got ${asOfText}`);
    const monthText = str(values, 'month') ?? new Date(asOf).toISOString().slice(0, 7);
    const month = /^\d{4}-\d{2}$/.test(monthText) ? parsePeriod(monthText) : null;
    if (month === null) throw new UsageError(`--month must be YYYY-MM; got ${JSON.stringify(monthText)}`);
    let budgets: ForecastBudget[] = [];
    const config = str(values, 'config');
    if (config !== undefined) {
      if (!options.loadBudgets) throw new UsageError('--config is read by the costspan CLI');
      try {
        budgets = options.loadBudgets(config);
      } catch (error) {
        throw new InputError(`--config ${config}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const store = await openStore(storePath);
    let result: ForecastResult;
    try {
      result = await forecastMonth(store.connection, {
        by,
        monthStart: month.from,
        monthEnd: month.to,
        asOf,
        budgets,
      });
    } finally {
      store.close();
    }
    await emit(io, format === 'json' ? forecastJson(result) : forecastTable(result), undefined);
    return 0;
  });
}

function rowJson(by: string, row: ForecastRow) {
  const p = row.projection;
  return {
    [by]: row.group,
    monthToDate: formatUsd(p.monthToDateNanos),
    projected: formatUsd(p.projectedNanos),
    low: formatUsd(p.lowNanos),
    high: formatUsd(p.highNanos),
    trendPerDay: formatUsd(BigInt(Math.round(p.trendPerDayNanos))),
    weekdayFactors: p.weekdayFactors.map((f) => Math.round(f * 1000) / 1000),
    daysFitted: p.daysFitted,
    budget: row.budget
      ? {
          name: row.budget.name,
          limit: formatUsd(row.budget.limitNanos),
          projectedUtilization: Number(p.projectedNanos) / Number(row.budget.limitNanos),
          exceeded: row.budget.exceeded,
          exceedsOn: row.budget.exceedsOn === null ? null : dayOf(row.budget.exceedsOn),
        }
      : null,
  };
}

function forecastJson(result: ForecastResult): string {
  return `${JSON.stringify(
    {
      month: new Date(result.monthStart).toISOString().slice(0, 7),
      asOf: new Date(result.asOf).toISOString(),
      by: result.by,
      interval: INTERVAL_LEVEL,
      rows: result.rows.map((r) => rowJson(result.by, r)),
      total: rowJson(result.by, result.total),
    },
    null,
    2,
  )}\n`;
}

function forecastTable(result: ForecastResult): string {
  const month = new Date(result.monthStart).toISOString().slice(0, 7);
  const head = `forecast ${month} by ${result.by}, as of ${new Date(result.asOf).toISOString().slice(0, 16)}Z (${INTERVAL_LEVEL * 100} % interval)\n`;
  const withBudget = [...result.rows, result.total].some((r) => r.budget);
  const line = (r: ForecastRow) => {
    const p = r.projection;
    const cells = [
      r.group ?? 'total',
      displayUsd(p.monthToDateNanos),
      displayUsd(p.projectedNanos),
      `${displayUsd(p.lowNanos)} – ${displayUsd(p.highNanos)}`,
      p.daysFitted < 7
        ? '-'
        : `${p.trendPerDayNanos >= 0 ? '+' : ''}${displayUsd(BigInt(Math.round(p.trendPerDayNanos)))}/day`,
    ];
    if (withBudget) {
      const b = r.budget;
      cells.push(
        b ? displayUsd(b.limitNanos) : '',
        b ? `${Math.round((Number(p.projectedNanos) / Number(b.limitNanos)) * 100)}%` : '',
        b ? (b.exceeded ? 'exceeded' : b.exceedsOn === null ? '-' : dayOf(b.exceedsOn)) : '',
      );
    }
    return cells;
  };
  const header = ['', 'month to date', 'projected', 'interval', 'trend'];
  if (withBudget) header.push('budget', 'of budget', 'reaches budget');
  header[0] = result.by;
  return head + textTable(header, [...result.rows.map(line), line(result.total)]);
}
