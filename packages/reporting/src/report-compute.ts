import type { PriceBook } from '@costspan/pricing';
import { readReconciliations } from './adjustments-store.js';
import { queryChartInputs } from './chart-data.js';
import { componentBounds, hasComponentRows, queryComponentSplit } from './component-split.js';
import { InputError } from './input-error.js';
import { queryMargin, type RevenueEntry } from './margin.js';
import { queryRising, queryTop } from './outliers.js';
import { type PriceFloorOptions, priceFloors } from './price-floors.js';
import type { ReportData } from './report-data.js';
import type { ReportSource, TimeRange } from './report-source.js';
import { queryResourceRows } from './resource-rows.js';
import { queryNodeRows, querySpanRollup, withNodes } from './rollup.js';
import { big, queryObjects } from './sql.js';
import { componentSpansSql, spansSql, windowsSql } from './store-schema.js';
import type { Dimension } from './types.js';
import { queryWhatIf, type WhatIf, type Where } from './what-if.js';

/** Everything one report asks for, independent of where the store is (a file here, or a running collector). */
export interface ReportRequest {
  dimensions: Dimension[];
  /** Epoch ms, half-open; default: the store's first and last span. */
  from?: number;
  to?: number;
  top?: number;
  whatIf?: WhatIf;
  where?: Where;
  revenue?: readonly RevenueEntry[];
  /** With `revenue`: price floors per feature and tier, and the usage-cap what-if. */
  floors?: Pick<PriceFloorOptions, 'targetMargin' | 'capRequests' | 'capSpendNanos'>;
  /** The HTML report: also the 20 most expensive requests, chart inputs and stored reconciliation variance. */
  html?: boolean;
}

/** Every time a store can hold. */
const OPEN: TimeRange = { from: -8_000_000_000_000, to: 8_000_000_000_000 };

/** The first and last span time of the source (epoch ms), or null when it holds no spans. */
export async function storeTimeBounds(source: ReportSource): Promise<TimeRange | null> {
  const [row] = await queryObjects(
    source.connection,
    `SELECT min(time_ms) AS lo, max(time_ms) AS hi FROM (${spansSql(source.spans, OPEN)}) s`,
  );
  if (!row || row.lo === null || row.hi === null) return null;
  return { from: Number(row.lo), to: Number(row.hi) + 1 };
}

async function hasRows(source: ReportSource, range: TimeRange): Promise<boolean> {
  const spans = `SELECT 1 FROM (${spansSql(source.spans, range)}) s`;
  const windows = source.windows === null ? '' : ` UNION ALL SELECT 1 FROM (${windowsSql(source.windows, range)}) w`;
  const components = source.components
    ? ` UNION ALL SELECT 1 FROM (${componentSpansSql(source.components, range)}) c`
    : '';
  const [row] = await queryObjects(
    source.connection,
    `SELECT count(*) AS n FROM (${spans}${windows}${components} LIMIT 1) x`,
  );
  return big(row?.n) > 0n;
}

/**
 * Computes a report with queries in the engine: the answer's size, not the store's, is what reaches JavaScript.
 * `step` is called as each query finishes (for progress on a terminal).
 */
export async function computeReport(
  source: ReportSource,
  request: ReportRequest,
  book: PriceBook | undefined,
  options: { label?: string; step?: (done: number, total: number) => void } = {},
): Promise<ReportData> {
  const step = options.step ?? (() => {});
  // Model spans have no component: the span rollup, what-if and rising groups use the other dimensions, and the
  // split by component (below) all of them.
  const dimensions = request.dimensions.filter((d) => d !== 'component');
  const total =
    1 +
    (request.top !== undefined ? 2 : 0) +
    (request.whatIf ? 1 : 0) +
    (request.revenue ? 1 : 0) +
    (request.html ? 3 : 0);
  let done = 0;
  const next = () => step(++done, total);
  // An open side of the range reads to the first or last span: the rollup's own min and max give the bounds, so
  // the store is scanned once for both.
  const spans = await querySpanRollup(
    source,
    { from: request.from ?? OPEN.from, to: request.to ?? OPEN.to },
    dimensions,
  );
  let from = request.from ?? spans.bounds?.from;
  let to = request.to ?? spans.bounds?.to;
  // An open side also reaches the priced non-model spans (a retrieval starts before the model call it feeds).
  const extra = request.from === undefined || request.to === undefined ? await componentBounds(source, OPEN) : null;
  if (extra) {
    if (request.from === undefined) from = Math.min(from ?? extra.from, extra.from);
    if (request.to === undefined) to = Math.max(to ?? extra.to, extra.to);
  }
  if (from === undefined || to === undefined || spans.total.requests === 0) {
    const bounds = await storeTimeBounds(source);
    if (from === undefined || to === undefined) {
      if (!bounds) throw new InputError(`${options.label ?? 'the store'} holds no inference spans yet`);
      from ??= bounds.from;
      to ??= bounds.to;
    }
    if (!(await hasRows(source, { from, to }))) {
      const held = bounds ? ` (the store holds spans from ${iso(bounds.from)} to ${iso(bounds.to)})` : '';
      throw new InputError(`no inference spans or node windows between ${iso(from)} and ${iso(to)}${held}`);
    }
  }
  const range = { from, to };
  const nodes = await queryNodeRows(source, range, dimensions.includes('day'));
  const data: ReportData = { from, to, dimensions, rollup: withNodes(spans, dimensions, nodes) };
  // The split by component: asked for with --by component, and shown whenever the range holds priced non-model
  // spans (a store without them reads exactly as before).
  const split = request.dimensions.includes('component') || (await hasComponentRows(source, range));
  if (split) {
    data.split = await queryComponentSplit(source, range, request.dimensions);
    const resources = await queryResourceRows(source, range);
    if (resources.length > 0) data.resources = resources;
  }
  next();
  if (request.top !== undefined) {
    data.top = await queryTop(source, range, request.top);
    next();
    const risingBy = dimensions.find((d) => d !== 'day') ?? 'feature';
    const previousFrom = from - (to - from);
    const rows = await queryRising(source, range, { from: previousFrom, to: from }, risingBy, request.top);
    data.rising = { dimension: risingBy, previousFrom, rows };
    next();
  }
  if (request.whatIf) {
    if (!book) throw new InputError('--what-if needs a price book');
    const where = request.where ?? {};
    data.whatIf = {
      ...(await queryWhatIf(source, range, book, request.whatIf, where, dimensions)),
      where: where as Record<string, string>,
    };
    next();
  }
  if (request.revenue) {
    data.margin = await queryMargin(source, range, request.revenue);
    if (request.floors) data.floors = await priceFloors(source, request.revenue, { ...range, ...request.floors });
    next();
  }
  if (request.html) {
    data.top ??= await queryTop(source, range, 20);
    next();
    data.charts = await queryChartInputs(source, range);
    if (data.split) {
      const byFeature = request.dimensions.length === 1 && request.dimensions[0] === 'feature';
      data.charts.featureParts = byFeature ? data.split : await queryComponentSplit(source, range, ['feature']);
    }
    next();
    data.variance = await readReconciliations(source.connection, iso(from).slice(0, 10), iso(to - 1).slice(0, 10));
    next();
  }
  return data;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
