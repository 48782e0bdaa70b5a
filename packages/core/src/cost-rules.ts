import { rationalFromDecimal } from '@costspan/allocation';
import type { AttrMap, SpanRecord } from './record.js';
import { type AnchorIndex, type AttributeMatch, type CompiledMatch, compileMatch } from './rule-match.js';

/** A price of a cost rule, in USD (or the rule's currency): a decimal number or its exact text (`"0.00008"`). */
export type DecimalAmount = number | string;

/** `price:` of a cost rule: a fixed amount per matched span, or an amount per `per` units read from `attribute`. */
export type CostRulePrice =
  | { perCall: DecimalAmount }
  | {
      perUnit: DecimalAmount;
      /** The span attribute holding the unit count (rows, bytes, search units, pages). */
      attribute: string;
      /** Units the price is for: `perUnit: 0.09, per: 1000000000` is $0.09 per GB of bytes. Default 1. */
      per?: number;
    };

/** One entry of `costs:` (validated by `@costspan/config`'s `parseCosts`). */
export interface CostRuleConfig {
  /** The rule's name, written as `costspan.cost.rule`. Several entries with one name are versions of one rule. */
  name: string;
  /** Free text written as `costspan.cost.component` (`retrieval`, `rerank`, `tool`, `egress`, …). */
  component: string;
  match: AttributeMatch;
  price: CostRulePrice;
  /** Effective from (UTC: `2026-01-01`, an ISO 8601 instant, epoch ms or a Date). Default: always. */
  from?: string | number | Date;
  /** ISO 4217, default USD. */
  currency?: string;
}

/** What a rule (or a shared resource) made of one span. Amounts in integer nano-units of `currency`. */
export interface ComponentCost {
  kind: 'rule' | 'resource';
  /** The rule name or resource id. */
  rule: string;
  component: string;
  currency: string;
  /** Undefined: the rule matched but could not price the span (see `reason`). Never 0 for a missing figure. */
  nanos: number | undefined;
  reason: string | undefined;
  /** Units read from the rule's (or resource's) attribute. */
  units: number | undefined;
  /** Resource shares: the idle and overhead parts of `nanos`, and whether the figures are final. */
  idleNanos?: number;
  overheadNanos?: number;
  final?: boolean;
}

interface Version {
  fromMs: number;
  match: CompiledMatch;
  component: string;
  currency: string;
  /** Exact price numerator and denominator (nano-units per call, or per `per` units ⇒ den includes `per`). */
  num: bigint;
  den: bigint;
  attribute: string | undefined;
}

interface RuleGroup {
  name: string;
  /** Anchor bits of its versions (see `bindAnchors`); -1 until bound (always tested). */
  bits: number;
  /** Latest `from` first. */
  versions: Version[];
}

const NANOS = 1_000_000_000n;

/**
 * `round(num / den)` to the nearest integer, halves rounded up (every figure here is ≥ 0). The one rounding of a
 * rule's price: exact rational arithmetic up to it.
 */
function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** Epoch ms of a `from:` value (`2026-01-01` is midnight UTC), or NaN. */
export function effectiveFromMs(from: string | number | Date | undefined): number {
  if (from === undefined) return Number.NEGATIVE_INFINITY;
  if (from instanceof Date) return from.getTime();
  if (typeof from === 'number') return from;
  return Date.parse(from);
}

function decimal(value: DecimalAmount, path: string): { num: bigint; den: bigint } {
  const r = rationalFromDecimal(String(value));
  if (r === undefined) throw new TypeError(`${path}: not a non-negative decimal amount`);
  return r;
}

/** Reads a unit count: a finite number ≥ 0, or its decimal text. */
function readUnits(value: unknown): { num: bigint; den: bigint; units: number } | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const r = rationalFromDecimal(String(value));
    return r === undefined ? undefined : { ...r, units: value };
  }
  if (typeof value === 'string') {
    const r = rationalFromDecimal(value);
    return r === undefined ? undefined : { ...r, units: Number(value) };
  }
  return undefined;
}

/**
 * The compiled `costs:` rules: first match wins, in the order the file gives each rule name; of a name's
 * versions the one effective at the span's start applies (a version not yet effective hides none of the others).
 */
export class CostRuleSet {
  readonly #groups: RuleGroup[] = [];
  readonly matches: readonly CompiledMatch[];

  constructor(rules: readonly CostRuleConfig[]) {
    const byName = new Map<string, RuleGroup>();
    const matches: CompiledMatch[] = [];
    rules.forEach((rule, i) => {
      const path = `costs[${i}]`;
      const fromMs = effectiveFromMs(rule.from);
      if (Number.isNaN(fromMs)) throw new TypeError(`${path}.from: not a date`);
      const match = compileMatch(rule.match, `${path}.match`);
      matches.push(match);
      let num: bigint;
      let den: bigint;
      let attribute: string | undefined;
      const price = rule.price as Record<string, unknown>;
      if (price.perCall !== undefined) {
        const r = decimal(price.perCall as DecimalAmount, `${path}.price.perCall`);
        num = r.num * NANOS;
        den = r.den;
      } else {
        const r = decimal(price.perUnit as DecimalAmount, `${path}.price.perUnit`);
        const per = price.per ?? 1;
        if (typeof per !== 'number' || !Number.isSafeInteger(per) || per <= 0) {
          throw new TypeError(`${path}.price.per: expected a positive whole number`);
        }
        if (typeof price.attribute !== 'string' || price.attribute === '') {
          throw new TypeError(`${path}.price.attribute: expected an attribute name`);
        }
        num = r.num * NANOS;
        den = r.den * BigInt(per);
        attribute = price.attribute;
      }
      const version: Version = {
        fromMs,
        match,
        component: rule.component,
        currency: rule.currency ?? 'USD',
        num,
        den,
        attribute,
      };
      let group = byName.get(rule.name);
      if (group === undefined) {
        group = { name: rule.name, bits: -1, versions: [] };
        byName.set(rule.name, group);
        this.#groups.push(group);
      }
      group.versions.push(version);
    });
    for (const group of this.#groups) group.versions.sort((a, b) => b.fromMs - a.fromMs);
    this.matches = matches;
  }

  get size(): number {
    return this.#groups.length;
  }

  /** Gives each rule the bits of its anchors in `index`, so `price(record, mask)` skips rules that cannot match. */
  bindAnchors(index: AnchorIndex): void {
    for (const group of this.#groups) {
      group.bits = 0;
      for (const v of group.versions) group.bits |= index.bit(v.match.anchor);
    }
  }

  /**
   * Could a rule match these attributes at some date (any version of any rule)? The cheap test a door runs
   * before it reads a span whole: a span that no version matches is never priced by a rule.
   */
  mayPrice(attrs: AttrMap, mask = -1): boolean {
    for (const group of this.#groups) {
      if ((group.bits & mask) === 0) continue;
      for (const v of group.versions) if (v.match.test(attrs)) return true;
    }
    return false;
  }

  /**
   * The first rule that matches the span, effective at its start, priced; undefined when none matches. `mask`:
   * the anchors present on the span (`AnchorIndex.mask`, after `bindAnchors`); rules without any are skipped.
   * Rounding: the exact amount (price × units ÷ per) to the nearest nano-unit, halves up.
   */
  price(record: SpanRecord, mask = -1): ComponentCost | undefined {
    const attrs: AttrMap = record.attributes;
    const at = record.startTimeMs ?? Date.now();
    for (const group of this.#groups) {
      if ((group.bits & mask) === 0) continue;
      const version = effective(group.versions, at);
      if (version === undefined || !version.match.test(attrs)) continue;
      const out: ComponentCost = {
        kind: 'rule',
        rule: group.name,
        component: version.component,
        currency: version.currency,
        nanos: undefined,
        reason: undefined,
        units: undefined,
      };
      if (version.attribute === undefined) {
        out.nanos = toSafe(roundHalfUp(version.num, version.den), out);
        return out;
      }
      const units = readUnits(attrs[version.attribute]);
      if (units === undefined) {
        out.reason = `no unit count: ${version.attribute} is missing or not a number >= 0`;
        return out;
      }
      out.units = units.units;
      out.nanos = toSafe(roundHalfUp(version.num * units.num, version.den * units.den), out);
      return out;
    }
    return undefined;
  }
}

function effective(versions: readonly Version[], at: number): Version | undefined {
  for (const v of versions) if (v.fromMs <= at) return v;
  return undefined;
}

function toSafe(nanos: bigint, out: ComponentCost): number | undefined {
  if (nanos <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(nanos);
  out.reason = 'amount too large';
  return undefined;
}
