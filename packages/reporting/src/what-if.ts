import { type PriceBook, priceBookRateCard } from '@costspan/pricing';
import { ratio } from './money.js';
import type { ReportSource, TimeRange } from './report-source.js';
import { big, dimensionSql, num, queryObjects, ROW_ORDER, sqlInt, sqlString, textOrNull } from './sql.js';
import { spansSql } from './store-schema.js';
import type { Dimension } from './types.js';

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

/** The SQL condition of a filter over span rows (from spansSql). */
export function whereSql(where: Where): string {
  const terms = (Object.entries(where) as [Dimension, string][]).map(
    ([key, value]) => `${dimensionSql(key)} = ${sqlString(value)}`,
  );
  return terms.length === 0 ? 'TRUE' : terms.join(' AND ');
}

function describe(scenario: WhatIf): string {
  if (scenario.kind === 'model')
    return `model=${scenario.model}${scenario.provider ? `,provider=${scenario.provider}` : ''}`;
  if (scenario.kind === 'max-output') return `max-output=${scenario.maxOutputTokens}`;
  return `cache-hit=${scenario.rate}`;
}

/**
 * Reprices the selected spans of the range and groups actual vs what-if cost by the dimensions, all in the engine.
 * Model and max-output scenarios join the price book's rate cards (one per provider, model and service tier
 * present, asked once) and compute each span's what-if cost with integer arithmetic exactly as the price book
 * would; a response cache with hit rate R costs (1 − R) of the actual cost per request in expectation, rounded
 * half-to-even. Spans without a price before or after are counted as skipped.
 */
export async function queryWhatIf(
  source: ReportSource,
  range: TimeRange,
  book: PriceBook,
  scenario: WhatIf,
  where: Where,
  dimensions: readonly Dimension[],
): Promise<WhatIfResult> {
  const selected = `SELECT * FROM (${spansSql(source.spans, range)}) s0 WHERE ${whereSql(where)}`;
  const repriced =
    scenario.kind === 'cache-hit'
      ? `SELECT *, ${cacheHitSql(scenario.rate)} AS what_if FROM (${selected}) s1`
      : await repricedSql(source, selected, book, scenario);
  const keys = dimensions.map((d, i) => `${dimensionSql(d)} AS k${i}`);
  const grouped = dimensions.map((_, i) => `k${i}`);
  const groupBy = dimensions.length === 0 ? '' : `GROUP BY GROUPING SETS ((${grouped.join(', ')}), ())`;
  const rows = await queryObjects(
    source.connection,
    `SELECT ${grouped.map((g) => `${g}, `).join('')}count(*) AS requests,
       count(*) FILTER (WHERE what_if IS NULL OR cost IS NULL) AS skipped,
       coalesce(sum(cost) FILTER (WHERE what_if IS NOT NULL AND cost IS NOT NULL), 0) AS actual,
       coalesce(sum(what_if) FILTER (WHERE what_if IS NOT NULL AND cost IS NOT NULL), 0) AS what_if,
       ${dimensions.length === 0 ? 'TRUE' : `grouping(${grouped.join(', ')}) <> 0`} AS is_total,
       min(${ROW_ORDER}) AS first
     FROM (SELECT ${keys.map((k) => `${k}, `).join('')}* FROM (${repriced}) s2) s
     ${groupBy}
     ORDER BY first`,
  );
  const total = emptyRow({});
  const result: WhatIfRow[] = [];
  for (const r of rows) {
    const row = emptyRow({});
    row.requests = num(r.requests);
    row.skipped = num(r.skipped);
    row.actual = big(r.actual);
    row.whatIf = big(r.what_if);
    if (r.is_total) {
      Object.assign(total, row);
      if (dimensions.length === 0 && row.requests > 0) result.push({ ...row, key: {} });
      continue;
    }
    dimensions.forEach((d, i) => {
      row.key[d] = String(r[`k${i}`]);
    });
    result.push(row);
  }
  for (const row of [...result, total]) {
    row.saving = row.actual - row.whatIf;
    row.savingShare = ratio(row.saving, row.actual);
  }
  result.sort((a, b) => (a.saving === b.saving ? 0 : a.saving > b.saving ? -1 : 1));
  return { scenario: describe(scenario), rows: result, total };
}

/** (1 − R) × cost, R = `rate` as exact decimal text, rounded half-to-even to the nano-dollar. */
function cacheHitSql(rate: string): string {
  const [whole, frac = ''] = rate.split('.');
  const scale = 10n ** BigInt(frac.length);
  const keep = scale - (BigInt(whole!) * scale + BigInt(frac || '0'));
  return `CASE WHEN cost IS NULL THEN NULL ELSE ${divRoundSql(`cost::HUGEINT * ${keep}`, scale)} END`;
}

/** Signed integer division rounded half-to-even by a positive constant, as SQL. */
export function divRoundSql(numerator: string, divisor: bigint): string {
  const d = divisor.toString();
  const half = (n: string) =>
    `(${n} // ${d} + CASE WHEN 2 * (${n} % ${d}) > ${d} OR (2 * (${n} % ${d}) = ${d} AND (${n} // ${d}) % 2 = 1) THEN 1 ELSE 0 END)`;
  return `(CASE WHEN (${numerator}) < 0 THEN -${half(`(-(${numerator}))`)} ELSE ${half(`(${numerator})`)} END)`;
}

/** Columns a rate card fills for one span: femto-dollar rates per token (per request for `r_request`), -1 = none. */
const RATE_COLUMNS = [
  ['input', 'r_input'],
  ['cacheRead', 'r_cache_read'],
  ['cacheWrite', 'r_cache_write'],
  ['cacheWrite1h', 'r_cache_write_1h'],
  ['output', 'r_output'],
  ['reasoning', 'r_reasoning'],
  ['request', 'r_request'],
] as const;

/**
 * Span rows with `what_if`: the price book's amount for the scenario's model (or the span's own model with output
 * capped), from a table of rates joined on (rate card, rule, long-context tier).
 */
async function repricedSql(
  source: ReportSource,
  selected: string,
  book: PriceBook,
  scenario: Extract<WhatIf, { kind: 'model' | 'max-output' }>,
): Promise<string> {
  const provider = scenario.kind === 'model' ? sqlNullable(scenario.provider ?? null) : 'provider';
  const model = scenario.kind === 'model' ? sqlString(scenario.model) : 'coalesce(priced_model, model)';
  const keyed = `SELECT *, ${provider} AS rp, ${model} AS rm FROM (${selected}) k0 WHERE cost IS NOT NULL`;
  const distinct = await queryObjects(
    source.connection,
    `SELECT DISTINCT rp, rm, service_tier FROM (${keyed}) k WHERE rm IS NOT NULL`,
  );
  const rateRows: string[] = [];
  const ruleCases: string[] = [];
  const keyRows: string[] = [];
  distinct.forEach((row, keyId) => {
    const card = priceBookRateCard(book, {
      provider: textOrNull(row.rp),
      model: String(row.rm),
      serviceTier: textOrNull(row.service_tier),
    });
    keyRows.push(
      `(${keyId}, ${sqlNullable(textOrNull(row.rp))}, ${sqlString(String(row.rm))}, ${sqlNullable(textOrNull(row.service_tier))})`,
    );
    const whens: string[] = [];
    card.rules.forEach((rule, ruleId) => {
      const holds = rule.window
        ? windowSql(rule.window)
        : rule.from === Number.NEGATIVE_INFINITY
          ? 'TRUE'
          : `time_ms >= ${sqlInt(rule.from)}`;
      whens.push(`WHEN ${holds} THEN ${ruleId}`);
      (rule.tiers ?? []).forEach((tier, tierId) => {
        const rates = RATE_COLUMNS.map(([k]) => sqlInt(tier.rates[k])).join(', ');
        rateRows.push(`(${keyId}, ${ruleId}, ${tierId}, ${sqlInt(tier.above)}, ${rates})`);
      });
    });
    if (whens.length > 0) ruleCases.push(`WHEN ${keyId} THEN CASE ${whens.join(' ')} END`);
  });
  if (rateRows.length === 0) return `SELECT *, NULL::HUGEINT AS what_if FROM (${selected}) s1`;
  const output =
    scenario.kind === 'max-output' ? `least(output_tokens, ${sqlInt(scenario.maxOutputTokens)})` : 'output_tokens';
  const reasoning = scenario.kind === 'max-output' ? `least(reasoning_tokens, ${output})` : 'reasoning_tokens';
  const rateNames = RATE_COLUMNS.map(([, c]) => c).join(', ');
  // u: usage as the price book checks it; r: the rule in effect; t: the last long-context tier below the input.
  return `WITH keys(key_id, kp, km, kt) AS (VALUES ${keyRows.join(', ')}),
    rates(key_id, rule_id, tier_id, above, ${rateNames}) AS (VALUES ${rateRows.join(', ')}),
    u AS (
      SELECT s.*, keys.key_id, ${output}::HUGEINT AS u_output, ${reasoning}::HUGEINT AS u_reasoning,
        CASE keys.key_id ${ruleCases.join(' ')} END AS rule_id
      FROM (${keyed}) s LEFT JOIN keys
        ON s.rp IS NOT DISTINCT FROM keys.kp AND s.rm = keys.km AND s.service_tier IS NOT DISTINCT FROM keys.kt),
    t AS (
      SELECT u.*, (SELECT max(tier_id) FROM rates
        WHERE rates.key_id = u.key_id AND rates.rule_id = u.rule_id AND u.input_tokens > rates.above) AS tier_id
      FROM u),
    q AS (
      SELECT t.*, ${rateNames},
        CASE WHEN r_cache_read >= 0 THEN cache_read_tokens ELSE 0 END::HUGEINT AS q_read,
        CASE WHEN r_cache_write >= 0 THEN cache_write_tokens ELSE 0 END::HUGEINT AS q_write,
        CASE WHEN r_reasoning >= 0 THEN u_reasoning ELSE 0 END::HUGEINT AS q_reasoning
      FROM t LEFT JOIN rates USING (key_id, rule_id, tier_id)),
    c AS (
      SELECT q.*,
        CASE WHEN r_cache_write_1h >= 0 THEN least(cache_write_1h_tokens, q_write) ELSE 0 END::HUGEINT AS q_write_1h
      FROM q),
    n AS (
      SELECT c.*,
        (input_tokens - q_read - q_write) * greatest(r_input, 0) AS f_input,
        (u_output - q_reasoning) * greatest(r_output, 0) + q_reasoning * greatest(r_reasoning, 0) AS f_output,
        q_read * greatest(r_cache_read, 0) AS f_read,
        (q_write - q_write_1h) * greatest(r_cache_write, 0) + q_write_1h * greatest(r_cache_write_1h, 0) AS f_write,
        CASE WHEN r_request >= 0 THEN r_request::HUGEINT ELSE 0 END AS f_request
      FROM c),
    a AS (
      SELECT n.*,
        (f_input + 500000) // 1000000 + (f_output + 500000) // 1000000 + (f_read + 500000) // 1000000
          + (f_write + 500000) // 1000000 + (f_request + 500000) // 1000000 AS amount
      FROM n)
    SELECT * EXCLUDE (amount), CASE
        WHEN tier_id IS NULL THEN NULL
        WHEN cache_read_tokens + cache_write_tokens > input_tokens OR cache_write_1h_tokens > cache_write_tokens
          OR u_reasoning > u_output THEN NULL
        WHEN amount > 9007199254740991 THEN NULL
        ELSE amount END AS what_if
    FROM a
    UNION ALL BY NAME
    SELECT *, NULL::HUGEINT AS what_if FROM (${selected}) s1 WHERE cost IS NULL`;
}

function sqlNullable(text: string | null): string {
  return text === null ? 'NULL::VARCHAR' : sqlString(text);
}

/** Whether a span's UTC time of day is in [start, end) seconds (end < start wraps midnight), as the book checks. */
function windowSql(window: { start: number; end: number }): string {
  const seconds = '((((time_ms % 86400000) + 86400000) % 86400000) / 1000)';
  return window.end < window.start
    ? `(${seconds} >= ${window.start} OR ${seconds} < ${window.end})`
    : `(${seconds} >= ${window.start} AND ${seconds} < ${window.end})`;
}

function emptyRow(key: Record<string, string>): WhatIfRow {
  return { key, requests: 0, skipped: 0, actual: 0n, whatIf: 0n, saving: 0n, savingShare: null };
}
