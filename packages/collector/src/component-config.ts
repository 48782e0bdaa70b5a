import { type ConfigProblem, parseCosts, parseResources } from '@costspan/config';
import type { CostRuleConfig, SharedResourceConfig } from '@costspan/core';
import { CollectorConfigError } from './config-error.js';

/**
 * The `costs` and `resources` sections of the shared file, parsed by @costspan/config. Any problem and the
 * collector refuses to start, with every problem listed (one line each, with its path).
 */
export function componentSections(root: Record<string, unknown>): {
  costs?: CostRuleConfig[];
  resources?: SharedResourceConfig[];
} {
  const problems: ConfigProblem[] = [];
  const costs = parseCosts(root.costs, 'costs', problems);
  const resources = parseResources(root.resources, 'resources', problems);
  const [first, ...rest] = problems;
  if (first !== undefined) {
    throw new CollectorConfigError(first.path, first.message + rest.map((p) => `\n  ${p.path}: ${p.message}`).join(''));
  }
  const out: { costs?: CostRuleConfig[]; resources?: SharedResourceConfig[] } = {};
  if (costs.length > 0) out.costs = costs;
  if (resources.length > 0) out.resources = resources;
  return out;
}
