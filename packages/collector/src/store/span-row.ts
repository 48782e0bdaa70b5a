import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_ALLOCATION_METHOD,
  ATTR_COSTSPAN_COST_CACHE_READ,
  ATTR_COSTSPAN_COST_CACHE_WRITE,
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_COST_IDLE,
  ATTR_COSTSPAN_COST_INPUT,
  ATTR_COSTSPAN_COST_OUTPUT,
  ATTR_COSTSPAN_COST_OVERHEAD,
  ATTR_COSTSPAN_COST_REQUEST,
  ATTR_COSTSPAN_GPU_CONCURRENCY,
  ATTR_COSTSPAN_GPU_NODE,
  ATTR_COSTSPAN_GPU_SECONDS,
  ATTR_COSTSPAN_PRICING_MODEL,
  ATTR_COSTSPAN_PRICING_PROVIDER,
  ATTR_COSTSPAN_PRICING_REASON,
  ATTR_COSTSPAN_PRICING_SERVICE_TIER,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_COSTSPAN_PRICING_TIER,
  ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
} from '@costspan/semconv';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { longToDecimal, type PlainAttributes } from '../otlp/attributes.js';
import type { SpanRef } from '../otlp/spans.js';
import type { InferenceSpanRow } from './rows.js';

/** What the cost core read from a span (its normalized usage and attribution): the one source of these row fields. */
export interface InferenceFacts {
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  operation?: string;
  feature?: string;
  tenant?: string;
  serviceTier?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  reasoningTokens?: number;
  inputAudioTokens?: number;
  outputAudioTokens?: number;
  webSearchRequests?: number;
}

/** Latest instant stored: 2200-01-01 in ns (keeps absurd timestamps inside BIGINT and TIMESTAMP ranges). */
const MAX_NANOS = 7_258_118_400_000_000_000n;

/**
 * The store row of an inference span, read from its attributes after the cost stage annotated them: a span is
 * stored when it carries `costspan.pricing.status`. Amounts come from the USD attributes; every amount the price
 * book writes is n / 1e9 for an integer n well below 2^51, so rounding `usd × 1e9` recovers n exactly.
 */
export function spanRow(
  ref: SpanRef,
  attributes: PlainAttributes,
  resource: PlainAttributes,
  f: InferenceFacts,
): InferenceSpanRow | undefined {
  const status = str(attributes[ATTR_COSTSPAN_PRICING_STATUS]);
  if (!status) return undefined;
  const start = clampNanos(longToDecimal(ref.span.startTimeUnixNano));
  let end = clampNanos(longToDecimal(ref.span.endTimeUnixNano));
  if (BigInt(end) < BigInt(start)) end = start;
  const cost = nanos(attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]);
  return {
    traceId: ref.traceId,
    spanId: ref.spanId,
    parentSpanId: ref.parentSpanId || null,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    spanName: ref.span.name ?? null,
    serviceName: str(resource[ATTR_SERVICE_NAME]),
    operation: f.operation ?? null,
    provider: f.provider ?? null,
    requestModel: f.requestModel ?? null,
    responseModel: f.responseModel ?? null,
    feature: f.feature ?? null,
    tenant: f.tenant ?? null,
    serviceTier: f.serviceTier ?? str(attributes[ATTR_COSTSPAN_PRICING_SERVICE_TIER]),
    inputTokens: count(f.inputTokens),
    outputTokens: count(f.outputTokens),
    cacheReadTokens: count(f.cacheReadTokens),
    cacheWriteTokens: count(f.cacheWriteTokens),
    cacheWrite1hTokens: count(f.cacheWrite1hTokens),
    reasoningTokens: count(f.reasoningTokens),
    inputAudioTokens: count(f.inputAudioTokens),
    outputAudioTokens: count(f.outputAudioTokens),
    webSearchRequests: count(f.webSearchRequests ?? attributes[ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS]),
    pricingStatus: status,
    pricingReason: str(attributes[ATTR_COSTSPAN_PRICING_REASON]),
    pricingProvider: str(attributes[ATTR_COSTSPAN_PRICING_PROVIDER]),
    pricingModel: str(attributes[ATTR_COSTSPAN_PRICING_MODEL]),
    pricingSource: str(attributes[ATTR_COSTSPAN_PRICING_SOURCE]),
    pricingTier: str(attributes[ATTR_COSTSPAN_PRICING_TIER]),
    costSource: str(attributes[ATTR_GEN_AI_USAGE_COST_SOURCE]),
    currency: str(attributes[ATTR_GEN_AI_USAGE_COST_CURRENCY]),
    costNanos: cost,
    costInputNanos: nanos(attributes[ATTR_COSTSPAN_COST_INPUT]),
    costOutputNanos: nanos(attributes[ATTR_COSTSPAN_COST_OUTPUT]),
    costCacheReadNanos: nanos(attributes[ATTR_COSTSPAN_COST_CACHE_READ]),
    costCacheWriteNanos: nanos(attributes[ATTR_COSTSPAN_COST_CACHE_WRITE]),
    costRequestNanos: nanos(attributes[ATTR_COSTSPAN_COST_REQUEST]),
    costGpuNanos: nanos(attributes[ATTR_COSTSPAN_COST_GPU]),
    costIdleNanos: nanos(attributes[ATTR_COSTSPAN_COST_IDLE]),
    costOverheadNanos: nanos(attributes[ATTR_COSTSPAN_COST_OVERHEAD]),
    gpuNode: str(attributes[ATTR_COSTSPAN_GPU_NODE]),
    gpuSeconds: num(attributes[ATTR_COSTSPAN_GPU_SECONDS]),
    gpuConcurrency: num(attributes[ATTR_COSTSPAN_GPU_CONCURRENCY]),
    allocationMethod: str(attributes[ATTR_COSTSPAN_ALLOCATION_METHOD]),
    allocationFinal:
      typeof attributes[ATTR_COSTSPAN_ALLOCATION_FINAL] === 'boolean'
        ? (attributes[ATTR_COSTSPAN_ALLOCATION_FINAL] as boolean)
        : null,
  };
}

function clampNanos(decimal: string): string {
  const n = BigInt(decimal);
  if (n < 0n) return '0';
  return n > MAX_NANOS ? MAX_NANOS.toString() : decimal;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A token count: a non-negative safe integer, else NULL (absurd values are not stored as numbers). */
function count(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** USD → integer nano-dollars; NULL when absent or outside the exact range. */
export function nanos(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const n = Math.round(value * 1e9);
  return Number.isSafeInteger(n) ? n : null;
}
