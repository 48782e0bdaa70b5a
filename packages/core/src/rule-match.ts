import type { AttrMap } from './record.js';

/**
 * What a rule tests on one span attribute: an exact value (`pinecone`, `443`, `true`; compared as text, so a
 * number in the file matches the same number on the span), `{ prefix }` or `{ regex }` (on the attribute's text).
 */
export type AttributeCondition = string | number | boolean | { prefix: string } | { regex: string };

/** The `match:` of a cost rule or shared resource: every attribute must satisfy its condition. */
export type AttributeMatch = Readonly<Record<string, AttributeCondition>>;

/** A compiled `match:`: a predicate over span attributes, and the attribute its cheap pre-filter reads. */
export interface CompiledMatch {
  /** The first attribute the match tests: a span without it can never match. */
  readonly anchor: string;
  test(attrs: AttrMap): boolean;
}

interface Condition {
  key: string;
  test: (value: unknown) => boolean;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Compiles a `match:` (validated by `@costspan/config`; a malformed one throws a TypeError naming `path`).
 * Conditions are tested in their written order and stop at the first that fails.
 */
export function compileMatch(match: AttributeMatch, path: string): CompiledMatch {
  const conditions: Condition[] = [];
  for (const [key, condition] of Object.entries(match)) {
    if (typeof condition === 'string' || typeof condition === 'number' || typeof condition === 'boolean') {
      const expected = String(condition);
      conditions.push({ key, test: (value) => text(value) === expected });
    } else if (
      typeof condition === 'object' &&
      condition !== null &&
      typeof (condition as { prefix?: unknown }).prefix === 'string'
    ) {
      const prefix = (condition as { prefix: string }).prefix;
      conditions.push({ key, test: (value) => text(value)?.startsWith(prefix) === true });
    } else if (
      typeof condition === 'object' &&
      condition !== null &&
      typeof (condition as { regex?: unknown }).regex === 'string'
    ) {
      let regex: RegExp;
      try {
        regex = new RegExp((condition as { regex: string }).regex, 'u');
      } catch (error) {
        throw new TypeError(`${path}.${key}.regex: ${(error as Error).message}`);
      }
      conditions.push({
        key,
        test: (value) => {
          const t = text(value);
          return t !== undefined && regex.test(t);
        },
      });
    } else {
      throw new TypeError(`${path}.${key}: expected a value, { prefix } or { regex }`);
    }
  }
  const first = conditions[0];
  if (first === undefined) throw new TypeError(`${path}: needs at least one attribute condition`);
  return { anchor: first.key, test: testFunction(conditions) };
}

/**
 * The conjunction of the conditions, generated once with each attribute name as a constant (a named property
 * load per name, with its own inline cache; a keyed load by a variable name is several times slower). Where code
 * generation is disallowed, the same test runs as a loop.
 */
function testFunction(conditions: readonly Condition[]): (attrs: AttrMap) => boolean {
  const tests = conditions.map((c) => c.test);
  const body = conditions.map((c, i) => `(v = a[${JSON.stringify(c.key)}]) !== undefined && t[${i}](v)`).join(' && ');
  try {
    return new Function('t', `return function test(a) { let v; return ${body}; };`)(tests) as (a: AttrMap) => boolean;
  } catch {
    return (attrs) => {
      for (let i = 0; i < conditions.length; i++) {
        const c = conditions[i] as Condition;
        const value = attrs[c.key];
        if (value === undefined || !c.test(value)) return false;
      }
      return true;
    };
  }
}

/** Bits of an anchor mask: one per distinct anchor, the 31st shared by every anchor past the 30th. */
const MAX_BITS = 30;

/**
 * The cheap pre-filter over many matches: the distinct anchor attributes, read by a function generated once with
 * each name as a constant (`a["db.system.name"] !== undefined ? 1 : 0 | …`), so each read is a named property
 * load with its own inline cache: a span carrying none of them costs a few nanoseconds (a keyed loop over the
 * names is ~10× slower). Where code generation is disallowed, the same test runs as a loop.
 */
export class AnchorIndex {
  readonly #anchors: readonly string[];
  readonly #mask: (attrs: AttrMap) => number;

  constructor(matches: Iterable<CompiledMatch>) {
    const anchors = new Set<string>();
    for (const m of matches) anchors.add(m.anchor);
    this.#anchors = [...anchors];
    this.#mask = maskFunction(this.#anchors);
  }

  get size(): number {
    return this.#anchors.length;
  }

  /** The bit of an anchor in `mask()` results (0 for a name that is not an anchor). */
  bit(anchor: string): number {
    const i = this.#anchors.indexOf(anchor);
    return i < 0 ? 0 : 1 << Math.min(i, MAX_BITS);
  }

  /** The anchors present on the span, as bits; 0 when none is (no match can hold). */
  mask(attrs: AttrMap): number {
    return this.#mask(attrs);
  }

  /** Could any of the matches hold for these attributes? */
  mayMatch(attrs: AttrMap): boolean {
    return this.#mask(attrs) !== 0;
  }
}

function maskFunction(anchors: readonly string[]): (attrs: AttrMap) => number {
  if (anchors.length === 0) return () => 0;
  const terms = anchors.map((k, i) => `(a[${JSON.stringify(k)}] !== undefined ? ${1 << Math.min(i, MAX_BITS)} : 0)`);
  try {
    return new Function('a', `return ${terms.join(' | ')};`) as (attrs: AttrMap) => number;
  } catch {
    return (attrs) => {
      let mask = 0;
      for (let i = 0; i < anchors.length; i++) {
        if (attrs[anchors[i] as string] !== undefined) mask |= 1 << Math.min(i, MAX_BITS);
      }
      return mask;
    };
  }
}
