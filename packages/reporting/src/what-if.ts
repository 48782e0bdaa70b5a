import type { PriceBook } from '@costspan/pricing';
import { dimensionValue } from './dimension-value.js';
import { divRound, ratio } from './money.js';
import type { Dimension, RequestRecord } from './types.js';

/** A repricing scenario. */
export type WhatIf =
  | { kind: 'model'; model: string; provider?: string }
  | { kind: 'max-output'; maxOutputTokens: number }
  /** A response cache that answers a share R (0–1) of requests without a model call. */
  | { kind: 'cache-hit'; rate: string };

/** A filter: every key must match (feature=summarize, tenant=acme, model=..., provider=..., node=..., service=...). */
export type Where = Partial<Record<Dimension, string>>;

export interface WhatIfRow {
  key: Record<string, string>;
  requests: number;
  /** Requests the scenario could not price (unpriced before, or no catalog price after). */
  skipped: number;
  actual: bigint;
  whatIf: bigint;
  saving: bigint;
  /** saving / actual */
  savingShare: number | null;
}

export interface WhatIfResult {
  scenario: string;
  rows: WhatIfRow[];
  total: WhatIfRow;
}

/** Parses `model=gpt-4o-mini[,provider=openai]`, `max-output=256` or `cache-hit=0.3` (or `30%`). */
export function parseWhatIf(text: string): WhatIf | string {
  const pairs = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `--what-if: expected key=value, got ${JSON.stringify(part)}`;
    pairs.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (pairs.has('model')) {
    const model = pairs.get('model')!;
    if (model === '') return '--what-if: model= needs a model name';
    const extra = [...pairs.keys()].filter((k) => k !== 'model' && k !== 'provider');
    if (extra.length > 0) return `--what-if: unknown key ${extra[0]} (use model=M[,provider=P])`;
    return { kind: 'model', model, provider: pairs.get('provider') };
  }
  if (pairs.has('max-output') && pairs.size === 1) {
    const n = Number(pairs.get('max-output'));
    if (!Number.isSafeInteger(n) || n < 0) return '--what-if: max-output= needs a non-negative integer';
    return { kind: 'max-output', maxOutputTokens: n };
  }
  if (pairs.has('cache-hit') && pairs.size === 1) {
    const raw = pairs.get('cache-hit')!;
    const percent = raw.endsWith('%');
    const text = percent ? raw.slice(0, -1) : raw;
    if (!/^\d+(\.\d+)?$/.test(text)) return '--what-if: cache-hit= needs a rate such as 0.3 or 30%';
    const value = percent ? Number(text) / 100 : Number(text);
    if (value < 0 || value > 1) return '--what-if: cache-hit= must be between 0 and 1 (0 % and 100 %)';
    return { kind: 'cache-hit', rate: percent ? (Number(text) / 100).toString() : text };
  }
  return `--what-if: expected model=M[,provider=P], max-output=N or cache-hit=R, got ${JSON.stringify(text)}`;
}

/** Parses `feature=summarize[,tenant=acme]`. */
export function parseWhere(texts: readonly string[]): Where | string {
  const where: Where = {};
  for (const text of texts) {
    for (const part of text.split(',')) {
      const eq = part.indexOf('=');
      const key = part.slice(0, eq).trim() as Dimension;
      if (eq <= 0 || !['feature', 'tenant', 'model', 'provider', 'node', 'service', 'day'].includes(key)) {
        return `--where: expected feature|tenant|model|provider|node|service|day=value, got ${JSON.stringify(part)}`;
      }
      where[key] = part.slice(eq + 1).trim();
    }
  }
  return where;
}

export function matchesWhere(record: RequestRecord, where: Where): boolean {
  for (const [key, value] of Object.entries(where) as [Dimension, string][]) {
    if (dimensionValue(record, key) !== value) return false;
  }
  return true;
}

function describe(scenario: WhatIf): string {
  if (scenario.kind === 'model')
    return `model=${scenario.model}${scenario.provider ? `,provider=${scenario.provider}` : ''}`;
  if (scenario.kind === 'max-output') return `max-output=${scenario.maxOutputTokens}`;
  return `cache-hit=${scenario.rate}`;
}

/**
 * The what-if cost of one priced request, nano-dollars, or null when it cannot be priced. Model and max-output
 * scenarios ask the price book with the request's own usage, time and service tier; a response cache with hit
 * rate R costs (1 − R) of the actual cost per request in expectation.
 */
export function repriceRequest(book: PriceBook, record: RequestRecord, scenario: WhatIf): bigint | null {
  if (record.cost === null) return null;
  if (scenario.kind === 'cache-hit') {
    const [whole, frac = ''] = scenario.rate.split('.');
    const scale = 10n ** BigInt(frac.length);
    const rate = BigInt(whole!) * scale + BigInt(frac || '0');
    return divRound(record.cost * (scale - rate), scale);
  }
  const usage = {
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    cacheReadTokens: record.cacheReadTokens,
    cacheWriteTokens: record.cacheWriteTokens,
    cacheWrite1hTokens: record.cacheWrite1hTokens,
    reasoningTokens: record.reasoningTokens,
  };
  let provider = record.provider ?? undefined;
  let model = record.pricedModel ?? record.model;
  if (scenario.kind === 'model') {
    provider = scenario.provider;
    model = scenario.model;
  } else {
    usage.outputTokens = Math.min(usage.outputTokens, scenario.maxOutputTokens);
    usage.reasoningTokens = Math.min(usage.reasoningTokens, usage.outputTokens);
  }
  if (model === null) return null;
  const result = book.price({
    provider,
    model,
    usage,
    timestamp: record.time,
    serviceTier: record.serviceTier ?? undefined,
  });
  return result.status === 'unpriced' ? null : BigInt(result.nanos.amount);
}

/** Reprices the selected requests and groups actual vs what-if cost by the dimensions. */
export function runWhatIf(
  book: PriceBook,
  records: readonly RequestRecord[],
  scenario: WhatIf,
  where: Where,
  dimensions: readonly Dimension[],
): WhatIfResult {
  const groups = new Map<string, WhatIfRow>();
  const total = emptyRow({});
  for (const record of records) {
    if (!matchesWhere(record, where)) continue;
    const key: Record<string, string> = {};
    for (const d of dimensions) key[d] = dimensionValue(record, d);
    const id = JSON.stringify(Object.values(key));
    let row = groups.get(id);
    if (!row) {
      row = emptyRow(key);
      groups.set(id, row);
    }
    const repriced = repriceRequest(book, record, scenario);
    for (const target of [row, total]) {
      target.requests++;
      if (repriced === null || record.cost === null) {
        target.skipped++;
        continue;
      }
      target.actual += record.cost;
      target.whatIf += repriced;
    }
  }
  const rows = [...groups.values()];
  for (const row of [...rows, total]) {
    row.saving = row.actual - row.whatIf;
    row.savingShare = ratio(row.saving, row.actual);
  }
  rows.sort((a, b) => (a.saving === b.saving ? 0 : a.saving > b.saving ? -1 : 1));
  return { scenario: describe(scenario), rows, total };
}

function emptyRow(key: Record<string, string>): WhatIfRow {
  return { key, requests: 0, skipped: 0, actual: 0n, whatIf: 0n, saving: 0n, savingShare: null };
}
