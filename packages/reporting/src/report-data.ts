import type { StoredVariance } from './adjustments-store.js';
import type { ChartInputs } from './chart-data.js';
import type { ComponentSplit } from './component-split.js';
import type { MarginResult } from './margin.js';
import type { RisingGroup, TopRequest } from './outliers.js';
import type { PriceFloors } from './price-floors.js';
import type { ResourceRow } from './resource-rows.js';
import type { Rollup } from './rollup.js';
import type { Dimension } from './types.js';
import type { WhatIfResult } from './what-if.js';

/** Everything one `report` run computed, ready for any output format. */
export interface ReportData {
  /** Half-open range, epoch ms. */
  from: number;
  to: number;
  /** The dimensions of the span rollup: those asked for, less `component` (model spans have none). */
  dimensions: Dimension[];
  rollup: Rollup;
  /**
   * Cost per request (a trace) by component: with --by component, or when the range holds non-model spans priced
   * by a cost rule or a shared resource. Grouped by every dimension asked for, `component` included.
   */
  split?: ComponentSplit;
  /** The shared resources of `resources:` (their windows in the range), with the split. */
  resources?: ResourceRow[];
  top?: TopRequest[];
  rising?: { dimension: Dimension; previousFrom: number; rows: RisingGroup[] };
  whatIf?: WhatIfResult & { where: Record<string, string> };
  margin?: MarginResult;
  /** Price floors and the usage-cap what-if, with --revenue. */
  floors?: PriceFloors;
  variance?: StoredVariance[];
  /** What the HTML charts draw beyond the rollup (only for --format html). */
  charts?: ChartInputs;
}
