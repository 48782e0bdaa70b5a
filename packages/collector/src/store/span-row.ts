import { type FragmentSpanResult, spanCostNanos } from '@costspan/core';
import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_ALLOCATION_METHOD,
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
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
} from '@costspan/semconv';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { longToDecimal } from '../otlp/attributes.js';
import type { SpanRef } from '../otlp/spans.js';
import type { InferenceSpanRow } from './rows.js';

/** Latest instant stored: 2200-01-01 in ns (keeps absurd timestamps inside BIGINT and TIMESTAMP ranges). */
const MAX_NANOS = 7_258_118_400_000_000_000n;

/**
 * The store row of an inference span the cost stage annotated (a span is stored when it carries
 * `costspan.pricing.status`), taken from the core's result: usage and attribution from its annotation, money as
 * the exact integer nanos the core computed (`spanCostNanos`), the GPU figures from the share it merged. The
 * provenance strings are the attributes the core wrote, else those the span carried (priced upstream).
 */
export function spanRow(ref: SpanRef, result: FragmentSpanResult): InferenceSpanRow | undefined {
  const annotation = result.annotation;
  if (annotation === undefined) return undefined;
  const written = result.attributes;
  const own = result.record.attributes;
  const attr = (key: string): unknown => written[key] ?? own[key];
  const status = str(attr(ATTR_COSTSPAN_PRICING_STATUS));
  if (!status) return undefined;
  const start = clampNanos(longToDecimal(ref.span.startTimeUnixNano));
  let end = clampNanos(longToDecimal(ref.span.endTimeUnixNano));
  if (BigInt(end) < BigInt(start)) end = start;
  const usage = annotation.usage;
  const cost = spanCostNanos(result);
  const gpu = result.gpu;
  const final = attr(ATTR_COSTSPAN_ALLOCATION_FINAL);
  return {
    traceId: ref.traceId,
    spanId: ref.spanId,
    parentSpanId: ref.parentSpanId || null,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    spanName: ref.span.name ?? null,
    serviceName: str(result.record.resourceAttributes?.[ATTR_SERVICE_NAME]),
    operation: usage.operation ?? null,
    provider: usage.provider ?? null,
    requestModel: usage.requestModel ?? null,
    responseModel: usage.responseModel ?? null,
    feature: annotation.feature ?? null,
    tenant: annotation.tenant ?? null,
    serviceTier: usage.serviceTier ?? str(attr(ATTR_COSTSPAN_PRICING_SERVICE_TIER)),
    inputTokens: count(usage.inputTokens),
    outputTokens: count(usage.outputTokens),
    cacheReadTokens: count(usage.cacheReadTokens),
    cacheWriteTokens: count(usage.cacheWriteTokens),
    cacheWrite1hTokens: count(usage.cacheWrite1hTokens),
    reasoningTokens: count(usage.reasoningTokens),
    inputAudioTokens: count(usage.inputAudioTokens),
    outputAudioTokens: count(usage.outputAudioTokens),
    // Not a figure the core reads: the count as the span carries it.
    webSearchRequests: count(attr(ATTR_COSTSPAN_USAGE_WEB_SEARCH_REQUESTS)),
    pricingStatus: status,
    pricingReason: str(attr(ATTR_COSTSPAN_PRICING_REASON)),
    pricingProvider: str(attr(ATTR_COSTSPAN_PRICING_PROVIDER)),
    pricingModel: str(attr(ATTR_COSTSPAN_PRICING_MODEL)),
    pricingSource: str(attr(ATTR_COSTSPAN_PRICING_SOURCE)),
    pricingTier: str(attr(ATTR_COSTSPAN_PRICING_TIER)),
    costSource: str(attr(ATTR_GEN_AI_USAGE_COST_SOURCE)),
    currency: str(attr(ATTR_GEN_AI_USAGE_COST_CURRENCY)),
    costNanos: cost.amount ?? null,
    costInputNanos: cost.input ?? null,
    costOutputNanos: cost.output ?? null,
    costCacheReadNanos: cost.cacheRead ?? null,
    costCacheWriteNanos: cost.cacheWrite ?? null,
    costRequestNanos: cost.request ?? null,
    costGpuNanos: cost.gpu ?? null,
    costIdleNanos: cost.idle ?? null,
    costOverheadNanos: cost.overhead ?? null,
    gpuNode: gpu !== undefined ? gpu.node : str(attr(ATTR_COSTSPAN_GPU_NODE)),
    gpuSeconds: gpu !== undefined ? gpu.seconds : num(attr(ATTR_COSTSPAN_GPU_SECONDS)),
    gpuConcurrency: gpu !== undefined ? gpu.concurrency : num(attr(ATTR_COSTSPAN_GPU_CONCURRENCY)),
    allocationMethod: gpu !== undefined ? gpu.method : str(attr(ATTR_COSTSPAN_ALLOCATION_METHOD)),
    allocationFinal: gpu !== undefined ? gpu.final : typeof final === 'boolean' ? final : null,
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
