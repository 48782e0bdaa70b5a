/**
 * The patch layer: small, documented corrections applied to catalog entries as they are compiled. Each has a
 * test in catalog-patches.test.ts; the README lists them. Name clean-up (provider prefixes, Google `models/`,
 * trailing snapshot dates) lives in model-name.ts and is part of the same layer.
 */
import type { RateSet, RateTier } from './rates.js';

/**
 * Patch 1 — long-context thresholds. The catalog writes some thresholds as `N - 1` (271999, 199999) where the
 * provider's price list says "more than N tokens" (272K for GPT-5.4/5.5, 200K for Grok 4.x). Prices switch when
 * input is strictly above the threshold, so exactly N tokens stays on the base tier, as for Gemini and Claude.
 */
export function normalizeTierStart(start: number): number {
  return start % 1000 === 999 ? start + 1 : start;
}

/**
 * Patch 2 — Claude 1-hour cache writes. Anthropic bills 1-hour cache writes at 2× the base input price on every
 * host (first-party, Bedrock, Vertex). Many Bedrock and Vertex entries carry only the 5-minute write price, which
 * would under-bill 1-hour writes; give them 2× the input rate of the same tier.
 */
export function patchClaudeCacheWrite1h(modelId: string, rates: RateSet, tiers: RateTier[]): boolean {
  if (!modelId.includes('claude') || rates.cacheWrite < 0 || rates.cacheWrite1h >= 0 || rates.input < 0) return false;
  rates.cacheWrite1h = rates.input * 2;
  for (const tier of tiers) {
    if (tier.rates.cacheWrite1h < 0 && tier.rates.input >= 0) tier.rates.cacheWrite1h = tier.rates.input * 2;
  }
  return true;
}

/**
 * Patch 3 — service tiers. The catalog has no batch / flex / priority prices. Defaults, overridable per model or
 * globally in the overrides file: batch and flex at 50 % (OpenAI, Anthropic and Google batch APIs; OpenAI flex),
 * priority at 175 % (OpenAI's priority list prices are 1.7×–2× standard; 1.75× is the common case for gpt-4.1,
 * o3 and o4-mini). The multiplier scales token prices; per-request fees are unchanged. Names that providers use
 * for the standard tier price at 1×.
 */
export const DEFAULT_SERVICE_TIERS: ReadonlyMap<string, number> = new Map([
  ['default', 1],
  ['standard', 1],
  ['auto', 1],
  ['scale', 1],
  ['on_demand', 1],
  ['batch', 0.5],
  ['flex', 0.5],
  ['priority', 1.75],
]);
