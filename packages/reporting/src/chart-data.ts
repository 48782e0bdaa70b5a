import type { ComponentSplit } from './component-split.js';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, dimensionSql, num, queryObjects, ROW_ORDER } from './sql.js';
import { spansSql, windowsSql } from './store-schema.js';

/** The most points drawn per node in the utilization scatter; longer series are thinned evenly. */
const SCATTER_POINTS = 2000;

/** What the HTML report's charts draw that the rollup does not hold, computed in the engine. */
export interface ChartInputs {
  /** Days with spans, ascending. */
  days: string[];
  /** Per feature (in order of its first priced span): per day Σ cost (nano-dollars) and priced requests. */
  featureDays: { feature: string; cells: Map<string, { cost: bigint; requests: number }> }[];
  /** Per node (ascending): windows with requests, in time order, thinned to at most 2000. */
  nodeWindows: {
    node: string;
    points: { seconds: number; busySeconds: number; nodeCost: bigint; requests: number }[];
  }[];
  /** Cost per request by component per feature (the stacked chart), when the report has a split. */
  featureParts?: ComponentSplit;
}

export async function queryChartInputs(source: ReportSource, range: TimeRange): Promise<ChartInputs> {
  const spans = spansSql(source.spans, range);
  const day = dimensionSql('day');
  const dayRows = await queryObjects(source.connection, `SELECT DISTINCT ${day} AS d FROM (${spans}) s ORDER BY d`);
  const cellRows = await queryObjects(
    source.connection,
    `SELECT f, d, cost, requests, min(first) OVER (PARTITION BY f) AS feature_first FROM (
       SELECT ${dimensionSql('feature')} AS f, ${day} AS d, sum(cost) AS cost, count(*) AS requests,
         min(${ROW_ORDER}) AS first
       FROM (${spans}) s WHERE priced GROUP BY f, d)
     ORDER BY feature_first, d`,
  );
  const featureDays: ChartInputs['featureDays'] = [];
  for (const row of cellRows) {
    const feature = String(row.f);
    let series = featureDays[featureDays.length - 1];
    if (!series || series.feature !== feature) {
      series = { feature, cells: new Map() };
      featureDays.push(series);
    }
    series.cells.set(String(row.d), { cost: big(row.cost), requests: num(row.requests) });
  }
  const nodeWindows: ChartInputs['nodeWindows'] = [];
  if (source.windows !== null) {
    const windows = windowsSql(source.windows, range);
    const nodes = await queryObjects(source.connection, `SELECT DISTINCT node FROM (${windows}) w`);
    const names = nodes.map((n) => String(n.node)).sort();
    const points = await queryObjects(
      source.connection,
      `SELECT node, end_ms - start_ms AS ms, busy_seconds, node_cost, requests FROM (
         SELECT *, row_number() OVER (PARTITION BY node ORDER BY start_ms) - 1 AS i,
           count(*) OVER (PARTITION BY node) AS n
         FROM (${windows}) w0 WHERE requests > 0 AND end_ms > start_ms) w
       WHERE i % greatest(1, ceil(n / ${SCATTER_POINTS})::BIGINT) = 0
       ORDER BY node, start_ms`,
    );
    const byNode = new Map<string, ChartInputs['nodeWindows'][number]['points']>();
    for (const p of points) {
      const list = byNode.get(String(p.node)) ?? [];
      list.push({
        seconds: num(p.ms) / 1000,
        busySeconds: num(p.busy_seconds),
        nodeCost: big(p.node_cost),
        requests: num(p.requests),
      });
      byNode.set(String(p.node), list);
    }
    for (const node of names) nodeWindows.push({ node, points: byNode.get(node) ?? [] });
  }
  return { days: dayRows.map((r) => String(r.d)), featureDays, nodeWindows };
}
