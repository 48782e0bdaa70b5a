import type { ReportSource, TimeRange } from './report-source.js';
import { type NodeRow, windowFigures } from './rollup.js';
import { queryObjects } from './sql.js';
import { resourceWindowsSql } from './store-schema.js';

/** A shared resource's own line (a `resources:` entry): as a GPU node's, with the component it is priced as. */
export interface ResourceRow extends Omit<NodeRow, 'node' | 'day'> {
  resource: string;
  component: string;
  /** time | requests | unit */
  method: string;
}

/** One line per shared resource of the range, summed in the engine; none on a store without resource windows. */
export async function queryResourceRows(source: ReportSource, range: TimeRange): Promise<ResourceRow[]> {
  if (!source.resourceWindows) return [];
  const result = await queryObjects(
    source.connection,
    `SELECT resource, any_value(component ORDER BY start_ms DESC) AS component,
       any_value(method ORDER BY start_ms DESC) AS method, count(*) AS windows,
       sum((end_ms - start_ms) / 1000 ORDER BY start_ms) AS seconds,
       sum(busy_seconds ORDER BY start_ms) AS busy_seconds, sum(requests) AS requests,
       sum(node_cost) AS node_cost, sum(direct_cost) AS direct_cost, sum(idle_cost) AS idle_cost,
       sum(idle_shared_cost) AS idle_shared_cost, sum(overhead_cost) AS overhead_cost
     FROM (${resourceWindowsSql(source.resourceWindows, range)}) w GROUP BY resource ORDER BY resource`,
  );
  return result.map((r) => ({
    resource: String(r.resource),
    component: String(r.component),
    method: String(r.method),
    ...windowFigures(r),
  }));
}
