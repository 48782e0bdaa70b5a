import { displayUsd, formatUsd } from '@costspan/pricing';
import type { FloorRow, PriceFloors } from './price-floors.js';
import { textTable } from './text-table.js';

const share = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

function floorRowJson(r: FloorRow) {
  return {
    key: r.key,
    requests: r.requests,
    unpriced: r.unpriced,
    meanCost: formatUsd(r.meanCost),
    p95Cost: formatUsd(r.p95Cost),
    floorMean: formatUsd(r.floorMean),
    floorP95: formatUsd(r.floorP95),
    tenantsWithRevenue: r.tenantsWithRevenue,
    tenantsBelowFloor: r.tenantsBelowFloor,
    shareBelowFloor: share(r.shareBelowFloor),
  };
}

/** The `floors` object of `costspan report --revenue … --format json` (money as decimal strings). */
export function floorsJson(floors: PriceFloors) {
  return {
    targetMargin: floors.targetMargin,
    byFeature: floors.byFeature.map(floorRowJson),
    byTier: floors.byTier.map(floorRowJson),
    ...(floors.cap
      ? {
          cap: {
            kind: floors.cap.kind,
            limit: floors.cap.kind === 'spend' ? formatUsd(floors.cap.limit as bigint) : floors.cap.limit,
            byTier: floors.cap.rows.map((r) => ({
              tier: r.tier,
              tenants: r.tenants,
              tenantsCapped: r.tenantsCapped,
              requestsCut: r.requestsCut,
              revenue: formatUsd(r.revenue),
              cost: formatUsd(r.cost),
              margin: formatUsd(r.margin),
              costAfter: formatUsd(r.costAfter),
              marginAfter: formatUsd(r.marginAfter),
            })),
          },
        }
      : {}),
  };
}

/** One titled table of the floors report: rendered as text by `floorsTable` and as HTML by the HTML report. */
export interface FloorSection {
  title: string;
  header: string[];
  rows: string[][];
}

/** The floors report as titled tables: floors by feature and by tier, then the usage-cap what-if. */
export function floorSections(floors: PriceFloors): FloorSection[] {
  const sections: FloorSection[] = [];
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  for (const [title, list] of [
    ['feature', floors.byFeature],
    ['tier', floors.byTier],
  ] as const) {
    sections.push({
      title: `Price floor by ${title} (cost per request × ${1 + floors.targetMargin}, target margin ${pct(floors.targetMargin)})`,
      header: [title, 'requests', 'mean cost', 'p95 cost', 'floor (mean)', 'floor (p95)', 'tenants below floor'],
      rows: list.map((r) => [
        r.key,
        String(r.requests),
        displayUsd(r.meanCost),
        displayUsd(r.p95Cost),
        displayUsd(r.floorMean),
        displayUsd(r.floorP95),
        r.tenantsWithRevenue === 0
          ? '-'
          : `${r.tenantsBelowFloor} of ${r.tenantsWithRevenue} (${pct(r.shareBelowFloor)})`,
      ]),
    });
  }
  if (floors.cap) {
    const limit =
      floors.cap.kind === 'requests' ? `${floors.cap.limit} requests` : displayUsd(floors.cap.limit as bigint);
    sections.push({
      title: `What if each tenant were capped at ${limit} (revenue unchanged)`,
      header: ['tier', 'tenants', 'capped', 'requests cut', 'revenue', 'cost', 'margin', 'cost after', 'margin after'],
      rows: floors.cap.rows.map((r) => [
        r.tier,
        String(r.tenants),
        String(r.tenantsCapped),
        String(r.requestsCut),
        displayUsd(r.revenue),
        displayUsd(r.cost),
        displayUsd(r.margin),
        displayUsd(r.costAfter),
        displayUsd(r.marginAfter),
      ]),
    });
  }
  return sections;
}

/** The floors sections of the table report. */
export function floorsTable(floors: PriceFloors): string {
  return floorSections(floors)
    .flatMap((section) => [`\n${section.title}`, textTable(section.header, section.rows)])
    .join('\n');
}
