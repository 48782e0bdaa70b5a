import type { TokenUsage } from '@costspan/pricing';

/** The attribute convention a span's usage was read from. */
export type InferenceDialect =
  | 'otel'
  | 'otel-deprecated'
  | 'openllmetry'
  | 'openinference'
  | 'ai-sdk'
  | 'vllm'
  | 'anthropic-sdk'
  | 'sentry'
  | 'provider-cost';

/**
 * One model call's usage, normalized to OpenTelemetry GenAI semantics whatever convention the span used:
 * `inputTokens` counts ALL input (cache reads and writes included), `outputTokens` ALL output (reasoning
 * included); every other count is a subset. The counts are `@costspan/pricing`'s `TokenUsage` (the one usage
 * type), every one present: absent counts are 0.
 */
export interface InferenceUsage extends Required<Omit<TokenUsage, 'requests'>> {
  dialect: InferenceDialect;
  /** Provider as an OTel `gen_ai.provider.name` value where one applies (`openai`, `gcp.gemini`), else as reported. */
  provider?: string;
  /** Model to price: the response model (dated snapshot) when present, else the request model. */
  model?: string;
  requestModel?: string;
  responseModel?: string;
  /** OTel `gen_ai.operation.name` value (`chat`, `embeddings`, …) when known or derivable. */
  operation?: string;
  /**
   * True when the span carried any token count. False for a provider-reported or external cost alone, and for a
   * model call that ended without usage (priced `unpriced`, reason `no_usage`).
   */
  hasTokens: boolean;
  /** The provider's response id (`chatcmpl-…`, `msg_…`): two spans with the same one are one call. */
  responseId?: string;
  /** The provider service tier actually served (`default`, `flex`, `priority`, …). */
  serviceTier?: string;
  serverAddress?: string;
  serverPort?: number;
  /**
   * A cost already on the span: `gen_ai.usage.cost.amount` (`attribute` absent), or another tool's cost
   * (`attribute` names where it was read: OpenLIT `gen_ai.usage.cost`, OpenInference `llm.cost.total`, Langfuse
   * `langfuse.observation.cost_details`; `producer` names the tool).
   */
  existingCost?: { amount: number; currency?: string; source?: string; attribute?: string; producer?: string };
  /** Corrections applied to reach OTel semantics, e.g. `input-excluded-cache`. */
  corrections?: string[];
}
