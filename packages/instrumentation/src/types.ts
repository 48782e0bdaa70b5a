import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options shared by every costspan LLM-client instrumentation. */
export interface GenAiInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompt and completion text (`gen_ai.input_messages`, `gen_ai.output_messages`,
   * `gen_ai.system_instructions`). Off unless this is `true` or the environment variable
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` is `true`.
   */
  captureMessageContent?: boolean;
  /**
   * When a streamed call reports no usage, count tokens locally (`gpt-tokenizer`) and flag the span with
   * `costspan.usage.estimated = true`. Default `true`; `false` leaves the span without token counts.
   */
  estimateMissingUsage?: boolean;
  /**
   * Compatibility switch: also write prompt-cache writes under the deprecated name
   * `gen_ai.usage.cache_creation.input_tokens` (semantic conventions 1.40) beside the current
   * `gen_ai.usage.cache_write.input_tokens`, for a backend that reads only the old name. Default `false`.
   */
  legacyCacheCreation?: boolean;
}

/** Options of the `openai` instrumentation. */
export interface OpenAIInstrumentationConfig extends GenAiInstrumentationConfig {
  /**
   * Add `stream_options: { include_usage: true }` to streamed Chat Completions requests that do not set it, so
   * the provider reports exact usage instead of an estimate. Off by default because it changes what the caller
   * receives: the stream then ends with one extra chunk whose `choices` array is empty and which carries `usage`.
   */
  includeUsage?: boolean;
}
