import type { ConfigProblem } from './problem.js';

/** What a section parser may need beyond its value. */
export interface SectionContext {
  /** Directory a relative file path in the section (`prices: prices.yaml`) is resolved against. */
  baseDir: string;
}

/**
 * Parses one section's raw value found at `path` (`gpu`, or `processors.costspan.compat`). Pushes every problem
 * onto `problems` (never throws for bad input, never stops at the first) and returns the parsed value, or
 * undefined when the section is unusable.
 */
export type SectionParser<T> = (
  raw: unknown,
  path: string,
  problems: ConfigProblem[],
  context: SectionContext,
) => T | undefined;

/** A section of the shared configuration: its top-level key and its parser. */
export interface SharedSection<K extends string = string, T = unknown> {
  readonly key: K;
  readonly parse: SectionParser<T>;
}

export function sharedSection<K extends string, T>(key: K, parse: SectionParser<T>): SharedSection<K, T> {
  return { key, parse };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
