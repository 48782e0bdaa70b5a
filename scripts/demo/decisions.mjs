// The demo's decisions: a budget that acme crosses during the run (the collector's live ledger, its log line, the
// costspan.budget.* gauges on /metrics and checkBudget's answer), then the month-end forecast and the node
// consolidation tables from the store.

import { checkBudget } from '@costspan/node';
import { capture } from './reports.mjs';
import { NODE_ID } from './settings.mjs';

/**
 * acme's daily budget in the collector's config: its provider calls (about $0.0042) take it past the soft 50 %,
 * its share of the self-hosted traffic past the limit.
 */
export const DEMO_BUDGET = { name: 'acme-daily', tenant: 'acme', window: 'day', limit: 0.008, soft: 0.5 };

/** While the collector runs: what checkBudget answers for acme, and the budget gauges it serves. */
export async function readBudget(collectorUrl) {
  const decision = await checkBudget({ tenant: DEMO_BUDGET.tenant, collector: new URL(collectorUrl), cacheMs: 0 });
  const metrics = await (await fetch(`${collectorUrl}/metrics`)).text();
  const gauges = metrics.split('\n').filter((line) => /^costspan_budget_(spend|utilization)/.test(line));
  return { decision, gauges };
}

export function printBudget(out, budget, collectorLog) {
  const b = DEMO_BUDGET;
  out(
    `Budget ${b.name}: tenant ${b.tenant}, $${b.limit} a ${b.window} (warn at ${b.soft * 100} %), kept live by the collector`,
  );
  const crossings = collectorLog.filter((line) => line.includes(`budget '${b.name}'`));
  for (const line of crossings) out(`  ${line.replace(/^costspan[ -]collector:\s*/, 'collector: ')}`);
  if (crossings.length === 0) out('  (no crossing logged)');
  const d = budget.decision;
  out(
    `  checkBudget({ tenant: '${b.tenant}' }) → allowed: ${d.allowed}, spent $${d.spent}, limit $${d.limit}, remaining $${d.remaining}, resets ${d.resetsAt}`,
  );
  for (const gauge of budget.gauges) out(`  /metrics ${gauge}`);
}

/** `costspan forecast --by tenant` and `costspan consolidate --nodes <the demo's node>` over the store. */
export async function readDecisionTables(store) {
  const forecast = await capture(['forecast', '--store', store, '--by', 'tenant']);
  const consolidate = await capture(['consolidate', '--store', store, '--nodes', NODE_ID]);
  return { forecast, consolidate };
}
