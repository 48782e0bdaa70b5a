/** Argument parsing on node:util parseArgs, with errors turned into UsageError messages a person can act on. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Strict parsing: unknown flags, missing values and stray positionals are usage errors. */
export function parseCommandArgs(args: string[], options: Options, allowPositionals = false): ParsedArgs {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(cleanParseError((error as Error).message));
  }
}

function cleanParseError(message: string): string {
  // parseArgs messages end with advice about '--' that does not fit our commands.
  return message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/\s+$/, '');
}

/** A flag's string value, or undefined. */
export function stringFlag(values: ParsedArgs['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required non-negative whole number flag. */
export function requiredCount(values: ParsedArgs['values'], name: string): number {
  const value = optionalCount(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** An optional non-negative whole number flag (digits, optionally with _ or , separators). */
export function optionalCount(values: ParsedArgs['values'], name: string): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  const digits = raw.replace(/[_,]/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name} must be a non-negative whole number, got '${raw}'`);
  }
  return value;
}

/** An optional ISO 8601 date or instant flag. */
export function optionalDate(values: ParsedArgs['values'], name: string): Date | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(value.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO 8601 date or time such as 2025-06-10 or 2025-06-10T12:00:00Z, got '${raw}'`,
    );
  }
  return value;
}
