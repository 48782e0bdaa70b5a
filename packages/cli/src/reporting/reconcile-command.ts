import { createHash } from 'node:crypto';
import { displayUsd, formatUsd } from '@costspan/pricing';
import type { ReconcileResult } from '@costspan/reporting';
import { InputError, monthOf, type Period, parsePeriod, readInvoice, textTable } from '@costspan/reporting';
import { type ArgValues, oneOf, parseCommandArgs, parseThreshold, str } from '../args.js';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';
import { backendTarget, openBackend } from './backend-target.js';
import { defaultIo, emit, guard } from './command-io.js';

export const RECONCILE_USAGE = `usage: costspan reconcile (--store FILE | --parquet DIR | --collector URL [--token T]) --invoice FILE
         [--invoice-format focus|openai-costs|anthropic-cost-report] [--period 2026-10]
         [--threshold 5%] [--format table|json] [--cost-column BilledCost|EffectiveCost] [--dry-run]

  Compares the store's estimates with an invoice per day and provider/model (or GPU node), flags |1 − k| above
  the threshold with likely causes, and writes adjustments beside the estimates so the period sums to the
  invoice exactly. Re-running with the same invoice replaces its adjustments (idempotent).
  --period   a month (2026-10), a day (2026-10-05) or days (2026-10-01..2026-10-15); default: the invoice's month
  --dry-run  compare only; write nothing
  --collector  reconcile against a running collector's store (adjustments written there) instead of a file
`;

const OPTIONS = {
  store: { type: 'string' },
  collector: { type: 'string' },
  token: { type: 'string' },
  parquet: { type: 'string' },
  invoice: { type: 'string' },
  'invoice-format': { type: 'string' },
  period: { type: 'string' },
  threshold: { type: 'string' },
  format: { type: 'string' },
  'cost-column': { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `costspan reconcile`: returns the exit code (0 ok, 1 data/store problem, 2 bad flags). */
export async function runReconcileCommand(argv: string[], io: CommandStreams = defaultIo()): Promise<number> {
  return guard(io, RECONCILE_USAGE, async () => {
    const values: ArgValues = parseCommandArgs(argv, OPTIONS).values;
    if (values.help) {
      io.stdout.write(RECONCILE_USAGE);
      return 0;
    }
    const target = backendTarget(values);
    const invoicePath = str(values, 'invoice');
    if (!invoicePath) throw new UsageError('--invoice FILE is required');
    const formatArg = str(values, 'invoice-format');
    const invoiceFormat =
      formatArg === undefined
        ? undefined
        : oneOf('invoice-format', formatArg, ['focus', 'openai-costs', 'anthropic-cost-report'] as const, 'focus');
    const costColumn = oneOf(
      'cost-column',
      str(values, 'cost-column'),
      ['BilledCost', 'EffectiveCost'] as const,
      'BilledCost',
    );
    const threshold = parseThreshold(str(values, 'threshold'), 0.05);
    const format = oneOf('format', str(values, 'format'), ['table', 'json'] as const, 'table');
    const periodArg = str(values, 'period');
    let period: Period | null = null;
    if (periodArg !== undefined) {
      period = parsePeriod(periodArg);
      if (!period)
        throw new UsageError(
          `--period must be YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD; got ${JSON.stringify(periodArg)}`,
        );
    }
    const dryRun = values['dry-run'] === true;

    const backend = await openBackend(target, { write: !dryRun });
    try {
      const knownNodes = await backend.nodeNames();
      const invoice = await readInvoice(invoicePath, { format: invoiceFormat, costColumn, knownNodes });
      if (invoice.issues.length > 0) {
        throw new InputError(
          `invoice ${invoicePath} has ${invoice.issues.length} malformed row(s); nothing was imported:\n${invoice.issues
            .map((i) => `  line ${i.line}: ${i.message}`)
            .join('\n')}`,
        );
      }
      if (invoice.lines.length === 0) throw new InputError(`invoice ${invoicePath} has no charges`);
      if (!period) {
        const months = [...new Set(invoice.lines.map((l) => monthOf(l.day)))].sort();
        if (months.length !== 1) {
          throw new UsageError(`the invoice spans ${months.join(', ')}: choose one with --period`);
        }
        period = parsePeriod(months[0]!)!;
      }
      const { from, to } = period;
      const lines = invoice.lines.filter((l) => {
        const ms = Date.parse(`${l.day}T00:00:00Z`);
        return ms >= from && ms < to;
      });
      const skipped = invoice.lines.length - lines.length;
      if (skipped > 0) io.stderr.write(`note: ${skipped} invoice row(s) outside ${period.label} ignored\n`);
      if (lines.length === 0) throw new InputError(`the invoice has no charges in ${period.label}`);

      const scope = [
        ...new Set(lines.map((l) => (l.node !== null ? `node:${l.node}` : `provider:${l.provider ?? ''}`))),
      ]
        .sort()
        .join(',');
      const hash = createHash('sha256').update(invoice.content).update(`\u0000${costColumn}`).digest('hex');
      const { result, written } = await backend.reconcile({
        period,
        lines,
        threshold,
        dryRun,
        invoiceHash: hash,
        invoiceFormat: invoice.format,
        scope,
        costColumn: invoice.format === 'focus' ? costColumn : null,
      });
      await emit(
        io,
        format === 'json'
          ? reconcileJson(period.label, result)
          : reconcileTable(period.label, result, threshold, dryRun, written),
        undefined,
      );
      return 0;
    } finally {
      backend.close();
    }
  });
}

/** Exactly `{ period, rows: [{ day, provider, model, node, estimate, actual, variance, k, flagged }], totals }`. */
export function reconcileJson(period: string, result: ReconcileResult): string {
  return `${JSON.stringify(
    {
      period,
      rows: result.rows.map((r) => ({
        day: r.day,
        provider: r.provider,
        model: r.model,
        node: r.node,
        estimate: formatUsd(r.estimate),
        actual: formatUsd(r.actual),
        variance: formatUsd(r.variance),
        k: r.k === null ? null : Math.round(r.k * 1e6) / 1e6,
        flagged: r.flagged,
      })),
      totals: {
        estimate: formatUsd(result.totals.estimate),
        actual: formatUsd(result.totals.actual),
        adjusted: formatUsd(result.totals.adjusted),
      },
    },
    null,
    2,
  )}\n`;
}

function reconcileTable(
  period: string,
  result: ReconcileResult,
  threshold: number,
  dryRun: boolean,
  written: number,
): string {
  const rows = result.rows.map((r) => [
    r.day,
    r.node !== null ? `node ${r.node}` : `${r.provider ?? '?'} ${r.model ?? '(all models)'}`,
    displayUsd(r.estimate),
    displayUsd(r.actual),
    displayUsd(r.variance),
    r.k === null ? '-' : r.k.toFixed(3),
    r.flagged ? `FLAG: ${r.causes.join('; ')}` : '',
  ]);
  const flagged = result.rows.filter((r) => r.flagged).length;
  return [
    `costspan reconcile  period ${period}  threshold ${(threshold * 100).toFixed(1)}%\n`,
    textTable(['day', 'provider/model or node', 'estimate', 'invoice', 'variance', 'k', ''], rows, [
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]),
    `\nestimate ${displayUsd(result.totals.estimate)}  invoice ${displayUsd(result.totals.actual)}  adjusted ${displayUsd(result.totals.adjusted)}  flagged ${flagged}/${result.rows.length}`,
    dryRun
      ? '\n(dry run: no adjustments written)\n'
      : `\n${written} adjustment record(s) written beside the estimates\n`,
  ].join('\n');
}
