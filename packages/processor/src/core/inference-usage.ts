/** The attribute convention a span's usage was read from. */
export type InferenceDialect =
  | 'otel'
  | 'otel-deprecated'
  | 'openllmetry'
  | 'openinference'
  | 'ai-sdk'
  | 'vllm'
  | 'provider-cost';

/**
 * One model call's usage, normalized to OpenTelemetry GenAI semantics whatever convention the span used:
 * `inputTokens` counts ALL input (cache reads and writes included), `outputTokens` ALL output (reasoning
 * included); every other count is a subset. Absent counts are 0.
 */
export interface InferenceUsage {
  dialect: InferenceDialect;
  /** Provider as an OTel `gen_ai.provider.name` value where one applies (`openai`, `gcp.gemini`), else as reported. */
  provider?: string;
  /** Model to price: the response model (dated snapshot) when present, else the request model. */
  model?: string;
  requestModel?: string;
  responseModel?: string;
  /** OTel `gen_ai.operation.name` value (`chat`, `embeddings`, …) when known or derivable. */
  operation?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  inputAudioTokens: number;
  outputAudioTokens: number;
  reasoningTokens: number;
  /** True when the span carried any token count (a provider-reported cost alone leaves this false). */
  hasTokens: boolean;
  /** The provider service tier actually served (`default`, `flex`, `priority`, …). */
  serviceTier?: string;
  serverAddress?: string;
  serverPort?: number;
  /** A cost already on the span (`gen_ai.usage.cost.amount`). */
  existingCost?: { amount: number; currency?: string; source?: string };
  /** Corrections applied to reach OTel semantics, e.g. `input-excluded-cache`. */
  corrections?: string[];
}
