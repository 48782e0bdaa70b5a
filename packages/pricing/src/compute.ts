/**
 * Tokens × rates → exact nano-dollar components.
 *
 * Usage follows OTel semantics (subsets inside totals). A subset with its own price is taken out of its parent
 * and charged at its own rate; a subset without one stays in the parent and is charged at the parent's rate
 * (e.g. OpenAI cache writes are ordinary input; reasoning tokens are ordinary output). Audio without an audio
 * price is charged at the text rate and flagged, because audio is usually dearer.
 */
import { termsToNanos } from './money.js';
import type { RateSet } from './rates.js';
import type { CheckedUsage } from './usage.js';

export interface ComputedNanos {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  request: number;
  /** Why some usage could not be priced exactly; undefined when everything was. */
  missing: string | undefined;
}

export function computeNanos(rates: RateSet, usage: CheckedUsage, label: string): ComputedNanos {
  let missing: string | undefined;

  const cacheRead = rates.cacheRead >= 0 ? usage.cacheReadTokens : 0;
  const cacheWrite = rates.cacheWrite >= 0 ? usage.cacheWriteTokens : 0;
  const uncached = usage.inputTokens - cacheRead - cacheWrite;
  let inputAudio = 0;
  if (usage.inputAudioTokens > 0) {
    if (rates.inputAudio >= 0) inputAudio = Math.min(usage.inputAudioTokens, uncached);
    else missing = note(missing, `no audio input price for ${label}: audio input priced at the text input rate`);
  }
  const inputText = uncached - inputAudio;
  let inputRate = rates.input;
  if (inputRate < 0) {
    inputRate = 0;
    if (inputText > 0) missing = note(missing, `no input price for ${label}`);
  }

  const reasoning = rates.reasoning >= 0 ? usage.reasoningTokens : 0;
  let outputAudio = 0;
  if (usage.outputAudioTokens > 0) {
    if (rates.outputAudio >= 0) outputAudio = Math.min(usage.outputAudioTokens, usage.outputTokens - reasoning);
    else missing = note(missing, `no audio output price for ${label}: audio output priced at the text output rate`);
  }
  const outputText = usage.outputTokens - reasoning - outputAudio;
  let outputRate = rates.output;
  if (outputRate < 0) {
    outputRate = 0;
    if (outputText > 0) missing = note(missing, `no output price for ${label}`);
  }

  let cacheWrite1h = 0;
  if (rates.cacheWrite1h >= 0) cacheWrite1h = Math.min(usage.cacheWrite1hTokens, cacheWrite);

  return {
    input: termsToNanos(inputText, inputRate, inputAudio, Math.max(rates.inputAudio, 0), 0, 0),
    output: termsToNanos(
      outputText,
      outputRate,
      reasoning,
      Math.max(rates.reasoning, 0),
      outputAudio,
      Math.max(rates.outputAudio, 0),
    ),
    cacheRead: termsToNanos(cacheRead, Math.max(rates.cacheRead, 0), 0, 0, 0, 0),
    cacheWrite: termsToNanos(
      cacheWrite - cacheWrite1h,
      Math.max(rates.cacheWrite, 0),
      cacheWrite1h,
      Math.max(rates.cacheWrite1h, 0),
      0,
      0,
    ),
    request: rates.request >= 0 ? termsToNanos(usage.requests, rates.request, 0, 0, 0, 0) : 0,
    missing,
  };
}

function note(existing: string | undefined, reason: string): string {
  return existing === undefined ? reason : `${existing}; ${reason}`;
}
