// Deterministic usage: token counts are a pure function of the request, so every run prices the same.

/** Roughly 4 characters per token, never below 1. */
export function countTokens(text) {
  return Math.max(1, Math.ceil(String(text ?? '').length / 4));
}

/** Plain text of a message `content` in any provider's shape (string, parts, blocks). */
export function textOf(content) {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => textOf(part?.text ?? part?.content ?? part)).join(' ');
  if (typeof content === 'object') return textOf(content.text ?? content.parts ?? '');
  return String(content);
}

/** Visible output length: `max_tokens` caps it; otherwise 40 + (input mod 120) tokens. */
export function outputTokens(inputTokens, maxTokens) {
  const natural = 40 + (inputTokens % 120);
  return typeof maxTokens === 'number' && maxTokens > 0 ? Math.min(natural, maxTokens) : natural;
}

/** OpenAI prompt caching: prompts of 1,024 tokens or more hit the cache in 128-token steps (half the prompt here). */
export function openaiCachedTokens(inputTokens) {
  return inputTokens >= 1024 ? Math.floor(inputTokens / 2 / 128) * 128 : 0;
}

/** Reasoning models (o-series, gpt-5) think before they answer: twice the visible output here. */
export function isReasoningModel(model) {
  return /^(o\d|gpt-5)/.test(String(model));
}

/** A short deterministic answer. */
export function answerText(model, tokens) {
  const words = [];
  for (let i = 0; words.join(' ').length < tokens * 4; i++) words.push(`word${i % 17}`);
  return `[${model}] ${words.join(' ')}`.slice(0, tokens * 4);
}
