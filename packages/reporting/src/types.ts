/** Public types of @costspan/reporting. Money is integer nano-dollars (1e-9 USD) in BigInt. */

import type { TokenUsage } from '@costspan/pricing';

/** Cost components of one priced inference span, in nano-dollars. */
export interface CostComponents {
  input: bigint;
  output: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
  request: bigint;
  gpu: bigint;
  idle: bigint;
  overhead: bigint;
}

/** A GPU node's allocation window as read from the store. */
export interface NodeWindowRecord {
  node: string;
  /** Window start and end, epoch milliseconds. */
  start: number;
  end: number;
  /** ρ·|W| in nano-dollars. */
  nodeCost: bigint;
  directCost: bigint;
  /** nodeCost − directCost: node time nobody used. */
  idleCost: bigint;
  /** The part of idleCost already loaded onto requests (idle policy `shared`). */
  idleSharedCost: bigint;
  overheadCost: bigint;
  /** Seconds with at least one request in flight. */
  busySeconds: number;
  requests: number;
}

/**
 * Dimensions a report can group by. `component` groups the cost of requests by what it paid for (model tokens,
 * GPU time, each cost-rule component such as retrieval or rerank, overhead).
 */
export type Dimension = 'day' | 'feature' | 'tenant' | 'model' | 'provider' | 'node' | 'service' | 'component';

export const DIMENSIONS: readonly Dimension[] = [
  'day',
  'feature',
  'tenant',
  'model',
  'provider',
  'node',
  'service',
  'component',
];

/** One invoice charge, normalized. */
export interface InvoiceLine {
  /** 1-based line in the invoice file. */
  line: number;
  /** UTC day of the charge, YYYY-MM-DD. */
  day: string;
  provider: string | null;
  model: string | null;
  node: string | null;
  amount: bigint;
  /** Words from the invoice that hint at a cause: 'batch', 'priority', 'cache', 'flex', 'long-context', 'tool'. */
  hints: string[];
}

export type InvoiceFormat = 'focus' | 'openai-costs' | 'anthropic-cost-report';

/** A malformed invoice row. */
export interface InvoiceIssue {
  line: number;
  message: string;
}

/**
 * Token profile for build-vs-buy and what-if comparisons: the mean request's counts of `@costspan/pricing`'s
 * `TokenUsage` (the one usage type). `cachedTokens` is that type's `cacheReadTokens` under the name the compare
 * report has always printed in its JSON (`profile`), kept so the report's output does not change.
 */
export interface TokenProfile extends Required<Pick<TokenUsage, 'inputTokens' | 'outputTokens'>> {
  cachedTokens: number;
}
