/**
 * Validation of caller-supplied usage: anything that is not a consistent set of non-negative safe integers yields a
 * reason string (the price book turns it into `unpriced`), never an exception.
 */

import type { TokenUsage } from './types.js';

/** Usage with every optional subset filled in (0 when absent; `requests` 1). */
export type CheckedUsage = Required<TokenUsage>;

/** Returns the checked usage or a reason why it cannot be priced. */
export function checkUsage(usage: unknown): CheckedUsage | string {
  if (typeof usage !== 'object' || usage === null) return 'usage is missing';
  const u = usage as Record<string, unknown>;
  const input = count(u.inputTokens);
  if (input < 0) return describe('inputTokens', u.inputTokens, true);
  const output = count(u.outputTokens);
  if (output < 0) return describe('outputTokens', u.outputTokens, true);
  const cacheRead = optionalCount(u.cacheReadTokens, 0);
  if (cacheRead < 0) return describe('cacheReadTokens', u.cacheReadTokens, false);
  const cacheWrite = optionalCount(u.cacheWriteTokens, 0);
  if (cacheWrite < 0) return describe('cacheWriteTokens', u.cacheWriteTokens, false);
  const cacheWrite1h = optionalCount(u.cacheWrite1hTokens, 0);
  if (cacheWrite1h < 0) return describe('cacheWrite1hTokens', u.cacheWrite1hTokens, false);
  const inputAudio = optionalCount(u.inputAudioTokens, 0);
  if (inputAudio < 0) return describe('inputAudioTokens', u.inputAudioTokens, false);
  const reasoning = optionalCount(u.reasoningTokens, 0);
  if (reasoning < 0) return describe('reasoningTokens', u.reasoningTokens, false);
  const outputAudio = optionalCount(u.outputAudioTokens, 0);
  if (outputAudio < 0) return describe('outputAudioTokens', u.outputAudioTokens, false);
  const requests = optionalCount(u.requests, 1);
  if (requests < 0) return describe('requests', u.requests, false);

  if (cacheRead + cacheWrite > input) {
    return `usage is inconsistent: cacheReadTokens (${cacheRead}) + cacheWriteTokens (${cacheWrite}) exceed inputTokens (${input}); input counts cached tokens too`;
  }
  if (cacheWrite1h > cacheWrite) {
    return `usage is inconsistent: cacheWrite1hTokens (${cacheWrite1h}) exceed cacheWriteTokens (${cacheWrite})`;
  }
  if (inputAudio > input)
    return `usage is inconsistent: inputAudioTokens (${inputAudio}) exceed inputTokens (${input})`;
  if (reasoning > output) {
    return `usage is inconsistent: reasoningTokens (${reasoning}) exceed outputTokens (${output}); output counts reasoning too`;
  }
  if (outputAudio > output) {
    return `usage is inconsistent: outputAudioTokens (${outputAudio}) exceed outputTokens (${output})`;
  }
  return {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: cacheWrite1h,
    inputAudioTokens: inputAudio,
    reasoningTokens: reasoning,
    outputAudioTokens: outputAudio,
    requests,
  };
}

/** A non-negative safe integer, else -1. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : -1;
}

function optionalCount(value: unknown, fallback: number): number {
  return value === undefined || value === null ? fallback : count(value);
}

function describe(field: string, value: unknown, required: boolean): string {
  if (value === undefined || value === null) {
    return required ? `usage.${field} is missing` : `usage.${field} is invalid`;
  }
  const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : String(value);
  return `usage.${field} must be a non-negative integer, got ${typeof value} ${shown}`;
}
