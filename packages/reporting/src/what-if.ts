import { type PriceBook, type PriceRateSet, priceBookRateCard, ratio } from '@costspan/pricing';
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
  const relation = `(SELECT ${keys.map((k) => `${k}, `).join('')}* FROM (${repriced}) s2) s`;
  const groupBy = dimensions.length === 0 ? '' : `GROUP BY ${grouped.join(', ')}`;
  const rows = await queryObjects(
    source.connection,
    `SELECT ${grouped.map((g) => `${g}, `).join('')}count(*) AS requests,
       count(*) FILTER (WHERE what_if IS NULL OR cost IS NULL) AS skipped,
       coalesce(sum(cost) FILTER (WHERE what_if IS NOT NULL AND cost IS NOT NULL), 0) AS actual,
       coalesce(sum(what_if) FILTER (WHERE what_if IS NOT NULL AND cost IS NOT NULL), 0) AS what_if,
       min(time_ms) AS first_ms
     FROM ${relation} ${groupBy}`,
  );
  const total = emptyRow({});
  const result: (WhatIfRow & { id: string; firstMs: number })[] = [];
  for (const r of rows) {
    const row = { ...emptyRow({}), id: '', firstMs: num(r.first_ms) };
    row.requests = num(r.requests);
    row.skipped = num(r.skipped);
    row.actual = big(r.actual);
    row.whatIf = big(r.what_if);
    total.requests += row.requests;
    total.skipped += row.skipped;
    total.actual += row.actual;
    total.whatIf += row.whatIf;
    if (row.requests === 0) continue;
    dimensions.forEach((d, i) => {
      row.key[d] = String(r[`k${i}`]);
    });
    row.id = JSON.stringify(grouped.map((g) => r[g] ?? null));
    result.push(row);
  }
  for (const row of [...result, total]) {
    row.saving = row.actual - row.whatIf;
    row.savingShare = ratio(row.saving, row.actual);
  }
  // Equal savings keep the order of each group's first span (time, then trace and span id: asked of the engine
  // only when two such groups also start in the same millisecond).
  const order = new Map<string, number>();
  const ties = result.map((r) => `${r.saving}/${r.firstMs}`);
  if (dimensions.length > 0 && new Set(ties).size < ties.length) {
    const firsts = await queryObjects(
      source.connection,
      `SELECT ${grouped.join(', ')}, row_number() OVER (ORDER BY min(${ROW_ORDER})) AS rank
       FROM ${relation} GROUP BY ${grouped.join(', ')}`,
    );
    for (const f of firsts) order.set(JSON.stringify(grouped.map((g) => f[g] ?? null)), num(f.rank));
  }
  result.sort((a, b) =>
    a.saving === b.saving
      ? a.firstMs - b.firstMs || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)
      : a.saving > b.saving
        ? -1
        : 1,
  );
  return { scenario: describe(scenario), rows: result.map(({ id: _, firstMs: __, ...row }) => row), total };
}

/** (1 − R) × cost, R = `rate` as exact decimal text, rounded half-to-even to the nano-dollar. */
function cacheHitSql(rate: string): string {
  const [whole, frac = ''] = rate.split('.');
  const scale = 10n ** BigInt(frac.length);
  const keep = scale - (BigInt(whole!) * scale + BigInt(frac || '0'));
  const product = scale <= 1_000_000n ? `cost * ${keep}` : `cost::HUGEINT * ${keep}`;
  return `CASE WHEN cost IS NULL THEN NULL ELSE ${divRoundSql(product, scale)} END`;
}

/** Signed integer division rounded half-to-even by a positive constant, as SQL. */
export function divRoundSql(numerator: string, divisor: bigint): string {
  const d = divisor.toString();
  const half = (n: string) =>
    `(${n} // ${d} + CASE WHEN 2 * (${n} % ${d}) > ${d} OR (2 * (${n} % ${d}) = ${d} AND (${n} // ${d}) % 2 = 1) THEN 1 ELSE 0 END)`;
  return `(CASE WHEN (${numerator}) < 0 THEN -${half(`(-(${numerator}))`)} ELSE ${half(`(${numerator})`)} END)`;
}

/** The rates of a rate card a span's what-if cost needs (femto-dollars per token; -1 = no such price). */
const TOKEN_RATES = [
  ['input', 'in'],
  ['output', 'out'],
  ['reasoning', 'rs'],
  ['cacheRead', 'cr'],
  ['cacheWrite', 'cw'],
  ['cacheWrite1h', 'h1'],
] as const;

/**
 * One row of the rates table: flags for the subsets the rate card prices apart, each token rate split into whole
 * nano-dollars (w_) and a femto remainder (f_), and the per-request fee already in nano-dollars.
 */
function rateRow(keyId: number, ruleId: number, tierId: number, rates: PriceRateSet): string {
  const split = TOKEN_RATES.map(([k]) => {
    const rate = BigInt(Math.max(rates[k], 0));
    return `${rate / 1_000_000n}, ${rate % 1_000_000n}`;
  });
  const request = rates.request >= 0 ? (BigInt(rates.request) + 500_000n) / 1_000_000n : 0n;
  const flags = [rates.cacheRead, rates.cacheWrite, rates.reasoning, rates.cacheWrite1h].map((r) => r >= 0);
  return `(${keyId}, ${ruleId}, ${tierId}, ${flags.join(', ')}, ${split.join(', ')}, ${request})`;
}

const RATE_TABLE_COLUMNS = [
  'key_id',
  'rule_id',
  'tier_id',
  'has_cr',
  'has_cw',
  'has_rs',
  'has_h1',
  ...TOKEN_RATES.flatMap(([, c]) => [`w_${c}`, `f_${c}`]),
  'n_request',
].join(', ');

/**
 * Span rows with `what_if`: the price book's amount for the scenario's model (or the span's own model with output
 * capped), from a table of rates joined on (rate card, rule in effect at the span's time, long-context tier).
 */
async function repricedSql(
  source: ReportSource,
  selected: string,
  book: PriceBook,
  scenario: Extract<WhatIf, { kind: 'model' | 'max-output' }>,
): Promise<string> {
  const provider = scenario.kind === 'model' ? sqlNullable(scenario.provider ?? null) : 'provider';
  const model = scenario.kind === 'model' ? sqlString(scenario.model) : 'coalesce(priced_model, model)';
  const keyed = `SELECT *, ${provider} AS rp, ${model} AS rm FROM (${selected}) k0`;
  const distinct = await queryObjects(
    source.connection,
    `SELECT DISTINCT rp, rm, service_tier FROM (${keyed}) k WHERE rm IS NOT NULL AND cost IS NOT NULL`,
  );
  const rateRows: string[] = [];
  const ruleCases: string[] = [];
  const tierCases: string[] = [];
  const keyRows: string[] = [];
  distinct.forEach((row, keyId) => {
    const card = priceBookRateCard(book, {
      provider: textOrNull(row.rp),
      model: String(row.rm),
      serviceTier: textOrNull(row.service_tier),
    });
    // Rules after one that always holds can never apply.
    const always = card.rules.findIndex((r) => !r.window && r.from === Number.NEGATIVE_INFINITY);
    const rules = always < 0 ? card.rules : card.rules.slice(0, always + 1);
    const fixed = always === 0 ? '0' : 'NULL::INTEGER';
    keyRows.push(
      `(${keyId}, ${sqlNullable(textOrNull(row.rp))}, ${sqlString(String(row.rm))}, ${sqlNullable(textOrNull(row.service_tier))}, ${fixed})`,
    );
    const whens: string[] = [];
    rules.forEach((rule, ruleId) => {
      const holds = rule.window
        ? windowSql(rule.window)
        : rule.from === Number.NEGATIVE_INFINITY
          ? 'TRUE'
          : `time_ms >= ${sqlInt(rule.from)}`;
      whens.push(`WHEN ${holds} THEN ${ruleId}`);
      const tiers = rule.tiers ?? [];
      tiers.forEach((tier, tierId) => {
        rateRows.push(rateRow(keyId, ruleId, tierId, tier.rates));
      });
      // The last long-context tier whose threshold the input is strictly above (tier 0, the base, is above -1).
      if (tiers.length > 1) {
        const above = tiers
          .map((tier, tierId) => [tierId, tier.above] as const)
          .slice(1)
          .reverse()
          .map(([tierId, a]) => `WHEN input_tokens > ${sqlInt(a)} THEN ${tierId}`);
        tierCases.push(`WHEN key_id = ${keyId} AND rule_id = ${ruleId} THEN CASE ${above.join(' ')} ELSE 0 END`);
      }
    });
    if (always !== 0 && whens.length > 0) ruleCases.push(`WHEN ${keyId} THEN CASE ${whens.join(' ')} END`);
  });
  if (rateRows.length === 0) return `SELECT *, NULL::BIGINT AS what_if FROM (${selected}) s1`;
  const output =
    scenario.kind === 'max-output' ? `least(output_tokens, ${sqlInt(scenario.maxOutputTokens)})` : 'output_tokens';
  const reasoning = scenario.kind === 'max-output' ? `least(reasoning_tokens, ${output})` : 'reasoning_tokens';
  const ruleId =
    ruleCases.length === 0
      ? 'keys.fixed_rule'
      : `coalesce(keys.fixed_rule, CASE keys.key_id ${ruleCases.join(' ')} END)`;
  const tierId = tierCases.length === 0 ? '0' : `CASE ${tierCases.join(' ')} ELSE 0 END`;
  const term = (units: string, rate: string) => [`(${units}) * w_${rate}`, `(${units}) * f_${rate}`];
  const component = (...terms: string[][]) =>
    `(${terms.map((t) => t[0]).join(' + ')} + (${terms.map((t) => t[1]).join(' + ')} + 500000) // 1000000)`;
  // u: usage as the price book reads it and the rule in effect; t: the long-context tier; q, c, a: the arithmetic
  // (subsets priced apart are taken out of their parents; each component rounded once, half up, to nano-dollars).
  return `WITH keys(key_id, kp, km, kt, fixed_rule) AS (VALUES ${keyRows.join(', ')}),
    rates(${RATE_TABLE_COLUMNS}) AS (VALUES ${rateRows.join(', ')}),
    u AS (
      SELECT s.*, keys.key_id, ${output} AS u_output, ${reasoning} AS u_reasoning, ${ruleId} AS rule_id
      FROM (${keyed}) s LEFT JOIN keys
        ON s.rp IS NOT DISTINCT FROM keys.kp AND s.rm = keys.km AND s.service_tier IS NOT DISTINCT FROM keys.kt),
    t AS (SELECT u.*, ${tierId} AS tier_id FROM u),
    q AS (
      SELECT t.*, rates.* EXCLUDE (key_id, rule_id, tier_id), rates.tier_id AS rated,
        CASE WHEN has_cr THEN cache_read_tokens ELSE 0 END AS q_read,
        CASE WHEN has_cw THEN cache_write_tokens ELSE 0 END AS q_write,
        CASE WHEN has_rs THEN u_reasoning ELSE 0 END AS q_reasoning
      FROM t LEFT JOIN rates ON t.key_id = rates.key_id AND t.rule_id = rates.rule_id AND t.tier_id = rates.tier_id),
    c AS (SELECT q.*, CASE WHEN has_h1 THEN least(cache_write_1h_tokens, q_write) ELSE 0 END AS q_write_1h FROM q),
    a AS (
      SELECT c.*,
        ${component(term('input_tokens - q_read - q_write', 'in'))}
        + ${component(term('u_output - q_reasoning', 'out'), term('q_reasoning', 'rs'))}
        + ${component(term('q_read', 'cr'))}
        + ${component(term('q_write - q_write_1h', 'cw'), term('q_write_1h', 'h1'))}
        + n_request AS amount
      FROM c)
    SELECT * EXCLUDE (amount), CASE
        WHEN cost IS NULL OR rated IS NULL THEN NULL
        WHEN cache_read_tokens + cache_write_tokens > input_tokens OR cache_write_1h_tokens > cache_write_tokens
          OR u_reasoning > u_output THEN NULL
        WHEN amount > 9007199254740991 THEN NULL
        ELSE amount END AS what_if
    FROM a`;
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
