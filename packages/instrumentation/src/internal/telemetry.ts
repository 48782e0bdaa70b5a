import {
  ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS,
  ATTR_COSTSPAN_USAGE_ESTIMATED,
  ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
} from '@costspan/semconv';
import {
  type Attributes,
  context,
  diag,
  type Histogram,
  type Meter,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  GEN_AI_TOKEN_TYPE_VALUE_INPUT,
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating';
import { errorType } from './error-type.js';
import { guard } from './guard.js';
import type { CallOutcome } from './usage.js';

/** Bucket boundaries the GenAI semantic conventions advise for the two client histograms. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

export interface GenAiInstruments {
  tokenUsage: Histogram;
  duration: Histogram;
}

export function createInstruments(meter: Meter): GenAiInstruments {
  return {
    tokenUsage: meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    duration: meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
}

/** What an instrumentation knows about a call before sending it. */
export interface CallStart {
  operation: string;
  provider: string;
  requestModel?: string;
  server?: { address: string; port: number };
  /** Further request attributes (temperature, max tokens, stream, ...). */
  attributes?: Attributes;
  /** Input content attributes, set only when content capture is on. */
  contentAttributes?: () => Attributes;
}

export interface CallTelemetry {
  tracer: Tracer;
  instruments: GenAiInstruments;
  captureContent: boolean;
  /** Also write cache writes under the deprecated `gen_ai.usage.cache_creation.input_tokens`. */
  legacyCacheCreation?: boolean;
}

/** The metric attributes of a successful call: the duration's and the two token-usage points'. */
interface SuccessAttributes {
  duration: Attributes;
  input: Attributes;
  output: Attributes;
}

/**
 * Success attribute sets by call shape (operation, provider, request model, server, response model), shared by all
 * calls of that shape so that recording allocates nothing. Frozen: the SDK keeps the first object it sees of a
 * series. Bounded; cleared when full.
 */
const successAttributes = new Map<string, SuccessAttributes>();
const SUCCESS_ATTRIBUTES_LIMIT = 256;

function successAttributesFor(
  shapeKey: string,
  base: Attributes,
  responseModel: string | undefined,
): SuccessAttributes {
  const key = responseModel === undefined ? shapeKey : `${shapeKey}\u0000${responseModel}`;
  let sets = successAttributes.get(key);
  if (sets === undefined) {
    const duration: Attributes =
      responseModel === undefined ? { ...base } : { ...base, [ATTR_GEN_AI_RESPONSE_MODEL]: responseModel };
    sets = {
      duration: Object.freeze(duration),
      input: Object.freeze({ ...duration, [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE_VALUE_INPUT }),
      output: Object.freeze({ ...duration, [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE_VALUE_OUTPUT }),
    };
    if (successAttributes.size >= SUCCESS_ATTRIBUTES_LIMIT) successAttributes.clear();
    successAttributes.set(key, sets);
  }
  return sets;
}

/**
 * One instrumented GenAI call: its CLIENT span and its two client metrics. `succeed` / `fail` end it once;
 * every method is safe to call from patch code (nothing throws).
 */
export class GenAiCall {
  readonly span: Span;
  /** The attributes every metric point of this call carries (operation, provider, request model, server). */
  private readonly metricAttributes: Attributes;
  /** Identifies `metricAttributes` (the success attribute sets are shared by calls of the same shape). */
  private readonly shapeKey: string;
  private readonly instruments: GenAiInstruments;
  private readonly captureContent: boolean;
  private readonly legacyCacheCreation: boolean;
  private readonly startedAt: number;
  private ended = false;
  private endedAt: number | undefined;

  constructor(telemetry: CallTelemetry, start: CallStart) {
    const metricAttributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: start.operation,
      [ATTR_GEN_AI_PROVIDER_NAME]: start.provider,
    };
    if (start.requestModel) metricAttributes[ATTR_GEN_AI_REQUEST_MODEL] = start.requestModel;
    if (start.server) {
      metricAttributes[ATTR_SERVER_ADDRESS] = start.server.address;
      metricAttributes[ATTR_SERVER_PORT] = start.server.port;
    }
    this.metricAttributes = metricAttributes;
    this.shapeKey = `${start.operation}\u0000${start.provider}\u0000${start.requestModel ?? ''}\u0000${start.server?.address ?? ''}\u0000${start.server?.port ?? ''}`;
    this.instruments = telemetry.instruments;
    this.captureContent = telemetry.captureContent;
    this.legacyCacheCreation = telemetry.legacyCacheCreation === true;
    // The span gets its own copy: the SDK may keep the object it is given.
    const attributes: Attributes = { ...metricAttributes, ...start.attributes };
    if (this.captureContent && start.contentAttributes) {
      Object.assign(attributes, guard('capturing input content', start.contentAttributes));
    }
    const name = start.requestModel ? `${start.operation} ${start.requestModel}` : start.operation;
    this.span = telemetry.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
    this.startedAt = performance.now();
  }

  /** Calls `fn` with this call's span active, so HTTP spans of the request become its children. */
  withSpan<T>(fn: (this: unknown, ...args: unknown[]) => T, thisArg: unknown, args: unknown[]): T {
    return context.with(trace.setSpan(context.active(), this.span), fn, thisArg, ...args);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Fixes the end time now, for a call whose outcome is recorded a little later (after a local token count). */
  markEnd(): void {
    this.endedAt ??= performance.now();
  }

  succeed(outcome: CallOutcome): void {
    if (this.ended) return;
    this.ended = true;
    const seconds = this.elapsedSeconds();
    try {
      this.recordSuccess(outcome, seconds);
    } catch (error) {
      diag.debug('@costspan/instrumentation: recording a GenAI response failed', error);
    }
    this.endSpan();
  }

  private recordSuccess(outcome: CallOutcome, seconds: number): void {
    const span = this.span;
    const metricAttributes = successAttributesFor(this.shapeKey, this.metricAttributes, outcome.responseModel);
    if (outcome.responseId) span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, outcome.responseId);
    if (outcome.responseModel) span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, outcome.responseModel);
    if (outcome.finishReasons && outcome.finishReasons.length > 0) {
      span.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, outcome.finishReasons);
    }
    if (outcome.serviceTier) span.setAttribute(ATTR_OPENAI_RESPONSE_SERVICE_TIER, outcome.serviceTier);
    const usage = outcome.usage;
    if (usage) {
      setCount(span, ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
      setCount(span, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
      setCount(span, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadTokens);
      setCount(span, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, usage.cacheWriteTokens);
      if (this.legacyCacheCreation) {
        setCount(span, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheWriteTokens);
      }
      setCount(span, ATTR_COSTSPAN_USAGE_CACHE_CREATION_1H_INPUT_TOKENS, usage.cacheWrite1hTokens);
      setCount(span, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens);
      setCount(span, ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS, usage.webSearchRequests);
      if (usage.estimated) span.setAttribute(ATTR_COSTSPAN_USAGE_ESTIMATED, true);
      const { tokenUsage } = this.instruments;
      if (usage.inputTokens !== undefined) tokenUsage.record(usage.inputTokens, metricAttributes.input);
      if (usage.outputTokens !== undefined) tokenUsage.record(usage.outputTokens, metricAttributes.output);
    }
    if (this.captureContent && outcome.outputMessages) {
      const messages = typeof outcome.outputMessages === 'function' ? outcome.outputMessages() : outcome.outputMessages;
      span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, JSON.stringify(messages));
    }
    this.instruments.duration.record(seconds, metricAttributes.duration);
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    guard('recording a GenAI error', () => {
      const type = errorType(error);
      this.span.setAttribute(ATTR_ERROR_TYPE, type);
      if (error instanceof Error) this.span.recordException(error);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
      this.instruments.duration.record(this.elapsedSeconds(), {
        ...this.metricAttributes,
        [ATTR_ERROR_TYPE]: type,
      });
    });
    this.endSpan();
  }

  private endSpan(): void {
    const at = this.endedAt;
    try {
      this.span.end(at === undefined ? undefined : performance.timeOrigin + at);
    } catch (error) {
      diag.debug('@costspan/instrumentation: ending a GenAI span failed', error);
    }
  }

  private elapsedSeconds(): number {
    return ((this.endedAt ?? performance.now()) - this.startedAt) / 1000;
  }
}

function setCount(span: Span, name: string, value: number | undefined): void {
  if (value !== undefined) span.setAttribute(name, value);
}
