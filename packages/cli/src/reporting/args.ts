import { type ParseArgsConfig, parseArgs } from 'node:util';

export function str(values: ArgValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(values: ArgValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A usage error: the command prints it with the usage text and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export type ArgValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** node:util parseArgs, strict, with its errors turned into UsageError. */
export function parseCommandArgs(argv: string[], options: Options): ArgValues {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as ArgValues;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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
