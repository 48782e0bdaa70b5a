import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
} from '@opentelemetry/semantic-conventions/incubating';

const INFERENCE_OPERATIONS = new Set<unknown>([
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
]);

/** What the SDK's span class exposes beyond the API interface (sdk-trace 1.x–3.x). */
interface SdkSpanView {
  kind?: SpanKind;
  ended?: boolean;
  attributes?: Record<string, unknown>;
  isRecording?: () => boolean;
}

/**
 * True when the active span is an unfinished inference CLIENT span of another instrumentation (for example
 * `@opentelemetry/instrumentation-openai`, which wraps the same method and makes its span active around it).
 * Producing a second span for the same call would have it priced twice.
 */
export function inferenceSpanActive(): boolean {
  const span = trace.getSpan(context.active()) as (SdkSpanView & object) | undefined;
  if (span === undefined || typeof span.isRecording !== 'function' || !span.isRecording()) return false;
  if (span.kind !== SpanKind.CLIENT || span.ended === true) return false;
  return INFERENCE_OPERATIONS.has(span.attributes?.[ATTR_GEN_AI_OPERATION_NAME]);
}

/**
 * True when the method this package is about to wrap was already wrapped by another instrumentation
 * (shimmer marks its wrappers with `__wrapped`): that one, running inside ours, records the call.
 */
export function wrapsAnotherInstrumentation(original: unknown): boolean {
  return typeof original === 'function' && (original as { __wrapped?: unknown }).__wrapped === true;
}
