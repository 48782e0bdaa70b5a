import { diag } from '@opentelemetry/api';
import { guard } from './guard.js';

export type CountTokens = (text: string) => number;

const encoders = new Map<string, Promise<CountTokens | undefined>>();

/** OpenAI's older models use cl100k_base; gpt-4o, o-series, gpt-4.1, gpt-5 and unknown models use o200k_base. */
function encodingFor(model: string | undefined): 'cl100k_base' | 'o200k_base' {
  const m = (model ?? '').toLowerCase();
  if (m.startsWith('gpt-3.5') || (m.startsWith('gpt-4') && !m.startsWith('gpt-4o') && !m.startsWith('gpt-4.'))) {
    return 'cl100k_base';
  }
  return 'o200k_base';
}

/**
 * The token counter of `gpt-tokenizer` for the model's encoding. Its tables are large, so they load
 * asynchronously on the first call that may need an estimate (started when such a stream starts, so the load
 * never blocks the event loop on a request's path), and once per process.
 */
export function loadTokenCounter(model: string | undefined): Promise<CountTokens | undefined> {
  const encoding = encodingFor(model);
  let found = encoders.get(encoding);
  if (!found) {
    const specifier =
      encoding === 'cl100k_base' ? 'gpt-tokenizer/encoding/cl100k_base' : 'gpt-tokenizer/encoding/o200k_base';
    found = import(specifier).then(
      (mod: { countTokens?: CountTokens }) => (typeof mod.countTokens === 'function' ? mod.countTokens : undefined),
      (error: unknown) => {
        diag.warn('@costspan/instrumentation: gpt-tokenizer could not be loaded; usage stays unestimated', error);
        return undefined;
      },
    );
    encoders.set(encoding, found);
  }
  return found;
}

/** Text parts of a Chat Completions message `content` (a string or an array of parts). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      out += (part as { text: string }).text;
    }
  }
  return out;
}

/**
 * Estimated prompt tokens of a Chat Completions request, by OpenAI's published counting rule: each message costs
 * its role and content tokens plus 3, and the reply is primed with 3 more. Tool definitions are not counted.
 */
export function estimateChatInputTokens(countTokens: CountTokens, messages: unknown): number | undefined {
  if (!Array.isArray(messages)) return undefined;
  return guard('estimating input tokens', () => {
    let total = 3;
    for (const message of messages) {
      if (!message || typeof message !== 'object') continue;
      const m = message as { role?: unknown; content?: unknown; name?: unknown };
      total += 3;
      if (typeof m.role === 'string') total += countTokens(m.role);
      total += countTokens(contentText(m.content));
      if (typeof m.name === 'string') total += countTokens(m.name) + 1;
    }
    return total;
  });
}

/** Estimated tokens of generated text. */
export function estimateTextTokens(countTokens: CountTokens, generated: string): number | undefined {
  return guard('estimating output tokens', () => (generated === '' ? 0 : countTokens(generated)));
}
