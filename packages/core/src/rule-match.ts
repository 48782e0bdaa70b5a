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
  return {
    anchor: first.key,
    test(attrs) {
      for (let i = 0; i < conditions.length; i++) {
        const c = conditions[i] as Condition;
        const value = attrs[c.key];
        if (value === undefined || !c.test(value)) return false;
      }
      return true;
    },
  };
}

/**
 * The cheap pre-filter over many matches: the distinct anchor attributes. A span carrying none of them cannot
 * match any rule, and costs one property read per distinct anchor (a handful for any real rule set).
 */
export class AnchorIndex {
  readonly #anchors: readonly string[];

  constructor(matches: Iterable<CompiledMatch>) {
    const anchors = new Set<string>();
    for (const m of matches) anchors.add(m.anchor);
    this.#anchors = [...anchors];
  }

  get size(): number {
    return this.#anchors.length;
  }

  /** Could any of the matches hold for these attributes? */
  mayMatch(attrs: AttrMap): boolean {
    const anchors = this.#anchors;
    for (let i = 0; i < anchors.length; i++) if (attrs[anchors[i] as string] !== undefined) return true;
    return false;
  }
}
