import type { AttributeCondition, AttributeMatch } from '@costspan/core';
import type { ConfigProblem } from './problem.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-negative decimal amount (a number, or its text like `"0.00008"`): the exact money of a rule or resource. */
export function isDecimalAmount(value: unknown): value is number | string {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  return typeof value === 'string' && /^\d+(\.\d*)?([eE][+-]?\d+)?$/.test(value.trim());
}

/**
 * A `match:` mapping: attribute name → exact value (string, number, boolean), `{ prefix: text }` or
 * `{ regex: pattern }` (a JavaScript regular expression, `u` flag). At least one attribute.
 */
export function parseMatch(raw: unknown, path: string, problems: ConfigProblem[]): AttributeMatch | undefined {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    problems.push({ path, message: 'expected a mapping of attribute name → value, { prefix } or { regex }' });
    return undefined;
  }
  const out: Record<string, AttributeCondition> = {};
  let ok = true;
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    ) {
      out[key] = value;
      continue;
    }
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.prefix === 'string' && value.prefix !== '') {
      out[key] = { prefix: value.prefix };
      continue;
    }
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.regex === 'string') {
      try {
        new RegExp(value.regex, 'u');
        out[key] = { regex: value.regex };
      } catch (error) {
        problems.push({ path: `${at}.regex`, message: `not a valid regular expression (${(error as Error).message})` });
        ok = false;
      }
      continue;
    }
    problems.push({
      path: at,
      message: 'expected a value (text, number, boolean), { prefix: text } or { regex: pattern }',
    });
    ok = false;
  }
  return ok ? out : undefined;
}

/** A non-empty string field. */
export function parseName(raw: unknown, path: string, problems: ConfigProblem[]): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  problems.push({ path, message: 'expected a non-empty text' });
  return undefined;
}

/** An ISO 4217 code, default USD. */
export function parseCurrency(raw: unknown, path: string, problems: ConfigProblem[]): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && /^[A-Z]{3}$/.test(raw)) return raw;
  problems.push({ path, message: 'expected a three-letter ISO 4217 code such as USD' });
  return undefined;
}

/** A date: `2026-01-01` (midnight UTC), an ISO 8601 instant, epoch ms, or a Date (YAML turns dates into Dates). */
export function parseDate(raw: unknown, path: string, problems: ConfigProblem[]): string | number | undefined {
  if (raw === undefined) return undefined;
  if (raw instanceof Date && Number.isFinite(raw.getTime())) return raw.toISOString();
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return raw;
  if (typeof raw === 'string' && Number.isFinite(Date.parse(raw))) return raw;
  problems.push({ path, message: 'expected a date (2026-01-01, an ISO 8601 instant, or epoch milliseconds)' });
  return undefined;
}

/** Reports keys of a mapping that are not among `known`. */
export function unknownKeys(
  raw: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: ConfigProblem[],
): number {
  let n = 0;
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.push({ path: `${path}.${key}`, message: `unknown key (expected ${known.join(', ')})` });
      n++;
    }
  }
  return n;
}
