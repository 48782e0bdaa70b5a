/**
 * The one argument parser of the `costspan` commands: node:util parseArgs, strict, with its errors turned into
 * UsageError messages a person can act on, and the readers of flag values that answer a bad value the same way.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flag values by name: a string, a boolean, or a list for a `multiple` flag. */
export type ArgValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface ParsedArgs {
  values: ArgValues;
  positionals: string[];
}

export interface ParseSettings {
  /** Accept arguments that are not flags (default: a usage error). */
  allowPositionals?: boolean;
}

/** Strict parsing (`-h`/`--help` always known): unknown flags, missing values and stray positionals are usage errors. */
export function parseCommandArgs(args: readonly string[], options: Options, settings: ParseSettings = {}): ParsedArgs {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: settings.allowPositionals ?? false,
    });
    return { values: parsed.values as ArgValues, positionals: parsed.positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(cleanParseError(message));
  }
}

function cleanParseError(message: string): string {
  // With positionals allowed, parseArgs ends an unknown-option message with advice about '--' that does not fit
  // our commands; the other messages pass unchanged.
  return message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/\s+$/, '');
}

/** A flag's string value, or undefined. */
export function str(values: ArgValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable flag's string values (empty when not given). */
export function strs(values: ArgValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A required non-negative whole number flag. */
export function requiredCount(values: ArgValues, name: string): number {
  const value = optionalCount(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** An optional non-negative whole number flag (digits, optionally with _ or , separators). */
export function optionalCount(values: ArgValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const digits = raw.replace(/[_,]/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name} must be a non-negative whole number, got '${raw}'`);
  }
  return value;
}

/** An optional ISO 8601 date or instant flag. */
export function optionalDate(values: ArgValues, name: string): Date | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(value.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO 8601 date or time such as 2025-06-10 or 2025-06-10T12:00:00Z, got '${raw}'`,
    );
  }
  return value;
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}

export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive integer; got ${JSON.stringify(value)}`);
  }
  return n;
}

export function nonNegativeInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} must be a non-negative integer; got ${JSON.stringify(value)}`);
  }
  return n;
}

/** `5%` → 0.05, `0.05` → 0.05. */
export function parseThreshold(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const percent = value.endsWith('%');
  const text = percent ? value.slice(0, -1) : value;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n)) {
    throw new UsageError(
      `--threshold must be a percentage such as 5% or a fraction such as 0.05; got ${JSON.stringify(value)}`,
    );
  }
  return percent ? n / 100 : n;
}
