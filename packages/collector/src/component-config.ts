import { type ConfigProblem, parseCosts, parseResources } from '@costspan/config';
import type { CostRuleConfig, SharedResourceConfig } from '@costspan/core';

/**
 * The `costs` and `resources` sections of the shared file, parsed by @costspan/config. Every problem joins the
 * configuration's list: the collector refuses to start and names each one with its path.
 */
export function componentSections(
  root: Record<string, unknown>,
  problems: ConfigProblem[],
): { costs?: CostRuleConfig[]; resources?: SharedResourceConfig[] } {
  const costs = parseCosts(root.costs, 'costs', problems);
  const resources = parseResources(root.resources, 'resources', problems);
  const out: { costs?: CostRuleConfig[]; resources?: SharedResourceConfig[] } = {};
  if (costs.length > 0) out.costs = costs;
  if (resources.length > 0) out.resources = resources;
  return out;
}
