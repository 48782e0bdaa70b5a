import type { AllocationUsage, ResolvedGpuConfig } from './types.js';

/** Weight of one whole request under `method: 'requests'` (split by time across windows in integer parts). */
export const REQUEST_WEIGHT = 1_000_000;

function count(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The integer weight a request brings to its windows under the configured method: thousandths of a weighted
 * token for `tokens` (α·uncached + α_c·cached + β·output), thousandths of a unit for `units`, a fixed unit for
 * `requests`, 0 for `time` (which uses its time share instead).
 */
export function methodWeight(
  config: Pick<ResolvedGpuConfig, 'method' | 'tokenWeights'>,
  usage?: AllocationUsage,
): number {
  if (config.method === 'requests') return REQUEST_WEIGHT;
  if (config.method === 'units') return scaled(count(usage?.units));
  if (config.method !== 'tokens' || !usage) return 0;
  const input = count(usage.inputTokens);
  const cached = Math.min(count(usage.cacheReadTokens), input);
  const output = count(usage.outputTokens);
  const { tokenWeights: w } = config;
  return scaled(w.input * (input - cached) + w.cachedInput * cached + w.output * output);
}

/** Thousandths of a weight as a safe integer (saturating). */
function scaled(weight: number): number {
  const thousandths = Math.round(weight * 1000);
  return Number.isSafeInteger(thousandths) ? thousandths : Number.MAX_SAFE_INTEGER;
}
