import { loadPriceOverridesFile, type PriceOverrides } from '@costspan/pricing';
import type { ReportData, ReportRequest } from '@costspan/reporting';
import {
  DIMENSIONS,
  type Dimension,
  InputError,
  parseDateArg,
  parseWhatIf,
  parseWhere,
  readRevenue,
  renderHtmlReport,
  reportCsv,
  reportJson,
  reportTable,
} from '@costspan/reporting';
import { type ArgValues, oneOf, parseCommandArgs, positiveInt, str, strs } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { backendTarget, openBackend } from './backend-target.js';
import { defaultIo, emit, guard } from './command-io.js';
import { floorOptions } from './floor-options.js';
import { createProgress } from './progress.js';

export const REPORT_USAGE = `usage: costspan report (--store FILE | --parquet DIR | --collector URL [--token T]) [--by day,feature,tenant,model,provider,node,service,component]
         [--from DATE] [--to DATE] [--format table|csv|json|html] [--out FILE]
         [--top N] [--what-if model=M[,provider=P] | max-output=N | cache-hit=R] [--where feature=F[,tenant=T]]
         [--prices FILE] [--revenue FILE [--target-margin 30%] [--cap-requests N | --cap-spend USD]]

  --collector   ask a running collector (its OTLP/HTTP base URL) instead of opening the store file: shows spans
                received seconds ago without stopping it; --token or COSTSPAN_COLLECTOR_AUTH_TOKEN is its bearer token
  --parquet     read a hive-partitioned Parquet store (costspan export; several collectors in one directory)
  --by component   cost per request (a trace) split into model tokens, GPU time, each cost-rule component
                (retrieval, rerank, tool, egress, …) and overhead; shown by the other --by dimensions whenever the
                store holds spans priced by cost rules or shared resources
  --from/--to   UTC dates (YYYY-MM-DD, --to inclusive) or ISO 8601 instants (--to exclusive); default: all spans
  --top N       the N most expensive requests, and the --by groups (default feature) whose cost per request rose
                most versus the previous period of equal length
  --what-if     reprice the selected stored requests and show the saving beside the actual cost
  --revenue     CSV or JSON with revenue per trace_id, feature or tenant: adds margin per feature and tenant, and
                price floors per feature and tier (optional tier column): cost per request × (1 + --target-margin)
  --cap-requests / --cap-spend   what-if of a usage cap per tenant over the period on each tier's margin
`;

const OPTIONS = {
  store: { type: 'string' },
  collector: { type: 'string' },
  token: { type: 'string' },
  parquet: { type: 'string' },
  by: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  top: { type: 'string' },
  'what-if': { type: 'string' },
  where: { type: 'string', multiple: true },
  prices: { type: 'string' },
  revenue: { type: 'string' },
  'target-margin': { type: 'string' },
  'cap-requests': { type: 'string' },
  'cap-spend': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DAY_MS = 86_400_000;

function parseDimensions(value: string | undefined): Dimension[] {
  if (value === undefined) return ['day'];
  const list = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const d of list) {
    if (!(DIMENSIONS as readonly string[]).includes(d)) {
      throw new UsageError(`--by: unknown dimension ${JSON.stringify(d)} (use ${DIMENSIONS.join(', ')})`);
    }
  }
  return [...new Set(list)] as Dimension[];
}

function parseBound(flag: 'from' | 'to', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDateArg(value);
  if (ms === null)
    throw new UsageError(`--${flag} must be a date (YYYY-MM-DD) or an ISO 8601 instant; got ${JSON.stringify(value)}`);
  return flag === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? ms + DAY_MS : ms;
}

/** `costspan report`: returns the exit code (0 ok, 1 data/store problem, 2 bad flags). */
export async function runReportCommand(argv: string[], io: CommandStreams = defaultIo()): Promise<number> {
  return guard(io, REPORT_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(REPORT_USAGE);
      return 0;
    }
    const target = backendTarget(values);
    const dimensions = parseDimensions(str(values, 'by'));
    const format = oneOf('format', str(values, 'format'), ['table', 'csv', 'json', 'html'] as const, 'table');
    const top = positiveInt('top', str(values, 'top'));
    const fromArg = parseBound('from', str(values, 'from'));
    const toArg = parseBound('to', str(values, 'to'));
    if (fromArg !== undefined && toArg !== undefined && toArg <= fromArg)
      throw new UsageError('--to must be after --from');
    const whatIfText = str(values, 'what-if');
    const whatIf = whatIfText === undefined ? undefined : parseWhatIf(whatIfText);
    if (typeof whatIf === 'string') throw new UsageError(whatIf);
    const where = parseWhere(strs(values, 'where'));
    if (typeof where === 'string') throw new UsageError(where);
    if (Object.keys(where).length > 0 && !whatIf) throw new UsageError('--where applies to --what-if; add --what-if');
    const prices = whatIf ? loadPrices(str(values, 'prices')) : undefined;
    const floors = floorOptions(values);
    const revenue = str(values, 'revenue') ? await readRevenue(str(values, 'revenue')!) : undefined;
    if (revenue && revenue.issues.length > 0) {
      throw new InputError(
        `revenue file ${str(values, 'revenue')} has malformed rows:\n${revenue.issues.map((i) => `  line ${i.line}: ${i.message}`).join('\n')}`,
      );
    }

    const request: ReportRequest = {
      dimensions,
      from: fromArg,
      to: toArg,
      top,
      whatIf,
      where,
      revenue: revenue?.entries,
      floors: revenue ? floors : undefined,
      html: format === 'html',
    };
    const backend = await openBackend(target, { prices: str(values, 'prices') });
    let data: ReportData;
    try {
      const progress = createProgress(io);
      data = await backend.report(request, prices, (done, total) => progress.update('reading spans', done, total));
      progress.done();
    } finally {
      backend.close();
    }
    const text =
      format === 'json'
        ? reportJson(data)
        : format === 'csv'
          ? reportCsv(data)
          : format === 'html'
            ? await renderHtmlReport(data)
            : reportTable(data);
    await emit(io, text, str(values, 'out'));
    return 0;
  });
}

/** The price overrides of --prices, read and checked here (a collector gets them as data, never a path). */
function loadPrices(path: string | undefined): PriceOverrides | undefined {
  if (path === undefined) return undefined;
  try {
    return loadPriceOverridesFile(path).overrides;
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}
