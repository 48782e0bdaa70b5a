import {
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_LLM_TOKEN_COUNT_PROMPT,
  ATTR_LLM_TOKEN_COUNT_TOTAL,
} from '@costspan/semconv';
import {
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { AI_USAGE_INPUT_TOKENS, AI_USAGE_PROMPT_TOKENS, AI_USAGE_TOKENS } from './foreign-names.js';
import type { AttrMap } from './record.js';

/**
 * The hot-path test: could this span carry billable usage or a cost? A handful of property reads, no
 * allocation. Every supported convention puts at least one of these names on an inference span; spans without
 * any of them (HTTP, DB, …) are never looked at again. A `true` answer is only a hint — `normalizeInference`
 * decides.
 */
export function mayBeInference(attrs: AttrMap): boolean {
  return (
    attrs[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined ||
    attrs[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] !== undefined ||
    attrs[ATTR_GEN_AI_USAGE_PROMPT_TOKENS] !== undefined ||
    attrs[ATTR_LLM_TOKEN_COUNT_PROMPT] !== undefined ||
    attrs[ATTR_LLM_TOKEN_COUNT_TOTAL] !== undefined ||
    attrs[AI_USAGE_INPUT_TOKENS] !== undefined ||
    attrs[AI_USAGE_PROMPT_TOKENS] !== undefined ||
    attrs[AI_USAGE_TOKENS] !== undefined ||
    attrs[ATTR_GEN_AI_USAGE_COST_AMOUNT] !== undefined
  );
}
