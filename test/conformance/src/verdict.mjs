// Judges one call's spans against its declared expectation (cases.mjs), the same way for the spans the in-process
// CostSpanProcessor exported and for those the collector forwarded. Returns the problems found (none = conformant).
import {
  ATTR_COSTSPAN_PRICING_DUPLICATE_OF,
  ATTR_COSTSPAN_PRICING_REASON,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_PRICING_STATUS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE,
  COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL,
  COSTSPAN_PRICING_STATUS_VALUE_UNPRICED,
} from '@costspan/semconv';

const DUPLICATE = COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE;

export const nanos = (usd) => Math.round(Number(usd) * 1e9);

/**
 * @param {Array<{ name: string, spanId?: string, attributes: Record<string, unknown>, raw?: Record<string, unknown> }>} spans
 * @param {import('./cases.mjs').Expectation} expectation
 * @param {'processor' | 'collector' | 'collector-split' | 'fixed'} door
 * @returns {{ verdict: 'exact' | 'flagged' | 'existing' | 'gap' | 'wrong', problems: string[] }}
 */
export function judge(spans, expectation, door) {
  const gap = expectation.gap?.[door];
  if (gap !== undefined) return judgeGap(spans, expectation, gap);
  const problems = [];
  const withStatus = spans.filter((s) => s.attributes[ATTR_COSTSPAN_PRICING_STATUS] !== undefined);
  const priced = spans.filter((s) => typeof s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT] === 'number');
  const describe = (s) =>
    `'${s.name}' (${s.attributes[ATTR_COSTSPAN_PRICING_STATUS] ?? 'no status'}` +
    (priced.includes(s) ? ` ${nanos(s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT])} n$` : '') +
    ')';
  const others = (primary) =>
    withStatus.filter((s) => s !== primary && s.attributes[ATTR_COSTSPAN_PRICING_STATUS] !== DUPLICATE);

  if ('price' in expectation) {
    if (priced.length !== 1) {
      problems.push(`expected one priced span, got ${priced.length}: ${spans.map(describe).join(', ') || 'no spans'}`);
    } else {
      const amount = nanos(priced[0].attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]);
      // `at`: where the call's spans disagree (one lacks the 1-hour split) the span decided first carries the
      // price at that door: that span's hand-computed amount, or either one's when the end order is a race.
      const price = expectation.at?.[door] ?? expectation.price;
      const allowed = Array.isArray(price) ? price : [price];
      if (!allowed.includes(amount)) problems.push(`priced at ${amount} n$, hand-computed ${allowed.join(' or ')} n$`);
      for (const s of others(priced[0])) problems.push(`second model-call span not marked duplicate: ${describe(s)}`);
      problems.push(...duplicatesPointAt(withStatus, priced[0]));
    }
    return { verdict: problems.length === 0 ? 'exact' : 'wrong', problems };
  }
  if ('unpriced' in expectation) {
    const flagged = withStatus.filter(
      (s) => s.attributes[ATTR_COSTSPAN_PRICING_STATUS] === COSTSPAN_PRICING_STATUS_VALUE_UNPRICED,
    );
    if (priced.length > 0) problems.push(`expected no amount, got ${priced.map(describe).join(', ')}`);
    if (flagged.length !== 1) {
      problems.push(`expected one span flagged unpriced, got ${flagged.length}: ${spans.map(describe).join(', ')}`);
    } else {
      const reason = flagged[0].attributes[ATTR_COSTSPAN_PRICING_REASON];
      if (reason !== expectation.unpriced)
        problems.push(`unpriced reason '${reason}', expected '${expectation.unpriced}'`);
      for (const s of others(flagged[0])) problems.push(`second model-call span not marked duplicate: ${describe(s)}`);
    }
    return { verdict: problems.length === 0 ? 'flagged' : 'wrong', problems };
  }
  const key = expectation.existing;
  const carrying = spans.filter((s) => s.attributes[key] !== undefined);
  if (carrying.length !== 1) {
    problems.push(`expected one span with ${key}, got ${carrying.length}`);
    return { verdict: 'wrong', problems };
  }
  const span = carrying[0];
  if (span.attributes[ATTR_COSTSPAN_PRICING_STATUS] !== COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL) {
    problems.push(`status '${span.attributes[ATTR_COSTSPAN_PRICING_STATUS]}', expected 'external'`);
  }
  const source = span.attributes[ATTR_COSTSPAN_PRICING_SOURCE];
  if (typeof source !== 'string' || !source.includes(key)) {
    problems.push(`pricing source '${source}' does not name ${key}`);
  }
  if (span.raw !== undefined && span.attributes[key] !== span.raw[key]) {
    problems.push(`${key} changed from ${span.raw[key]} to ${span.attributes[key]}`);
  }
  for (const s of priced) {
    if (s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT] !== span.attributes[key]) {
      problems.push(`competing total beside ${key}=${span.attributes[key]}: ${describe(s)}`);
    }
  }
  for (const s of others(span)) if (s !== span) problems.push(`another model-call span: ${describe(s)}`);
  return { verdict: problems.length === 0 ? 'existing' : 'wrong', problems };
}

/**
 * A declared gap (cases.mjs `gap`): the call is priced twice at this door, at exactly these amounts. When the
 * call comes out right instead, that is a problem too: the case must be updated (and the matrix with it).
 * @returns {{ verdict: 'exact' | 'flagged' | 'existing' | 'gap' | 'wrong', problems: string[] }}
 */
function judgeGap(spans, expectation, prices) {
  const { gap: _, ...right } = expectation;
  if (judge(spans, right, 'fixed').problems.length === 0) {
    return {
      verdict: 'wrong',
      problems: [`declared gap ${expectation.gap.finding} is fixed: remove it from the case`],
    };
  }
  const amounts = spans
    .filter((s) => typeof s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT] === 'number')
    .map((s) => nanos(s.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT]))
    .sort((a, b) => a - b);
  const want = [...prices].sort((a, b) => a - b);
  const same = amounts.length === want.length && amounts.every((a, i) => a === want[i]);
  return same
    ? { verdict: 'gap', problems: [] }
    : { verdict: 'wrong', problems: [`declared gap: priced ${want.join(' + ')} n$, got ${amounts.join(' + ')}`] };
}

/** Every `duplicate` span names the span that carries the call's price. */
function duplicatesPointAt(withStatus, primary) {
  return withStatus
    .filter((s) => s.attributes[ATTR_COSTSPAN_PRICING_STATUS] === DUPLICATE)
    .filter((s) => primary.spanId !== undefined && s.attributes[ATTR_COSTSPAN_PRICING_DUPLICATE_OF] !== primary.spanId)
    .map(
      (s) =>
        `duplicate '${s.name}' points at ${s.attributes[ATTR_COSTSPAN_PRICING_DUPLICATE_OF]}, not ${primary.spanId}`,
    );
}

/**
 * Which of the things a producer may report its spans carry, recognised by the fixtures' token counts among the
 * attribute values as the producer wrote them (no attribute names: those live in the dialect table).
 * @param {Record<string, Array<{ raw: Record<string, unknown> }>>} callsById raw spans of each call
 * @param {Record<string, Record<string, number | number[]>>} counts FIXTURE_COUNTS
 */
export function detectReports(callsById, counts) {
  const out = {};
  for (const [what, byCall] of Object.entries(counts)) {
    const seen = Object.entries(byCall).filter(([call]) => callsById[call] !== undefined);
    out[what] =
      seen.length > 0 &&
      seen.some(([call, wanted]) => {
        const values = new Set(callsById[call].flatMap((s) => Object.values(s.raw)));
        return (Array.isArray(wanted) ? wanted : [wanted]).some((n) => values.has(n));
      });
  }
  return out;
}
