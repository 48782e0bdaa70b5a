/** The `prices` section: price overrides inline, or the path of a prices file (as COSTSPAN_PRICES names one). */
import { resolve } from 'node:path';
import {
  loadPriceOverridesFile,
  type PriceOverrides,
  PriceOverridesError,
  parsePriceOverrides,
} from '@costspan/pricing';
import { type ConfigProblem, childPath } from './problem.js';
import type { SectionContext } from './section.js';

/** The `prices` section, validated by @costspan/pricing. */
export interface PricesConfig {
  overrides: PriceOverrides;
  /** The absolute path of the prices file the overrides were read from, when the section named one. */
  file?: string;
}

/**
 * `prices:` as a mapping (validated here; problems at `prices.models[2].prices.input`), or a file path resolved
 * against `context.baseDir` (read and validated now; its problems carry the file as `source`).
 */
export function parsePrices(
  value: unknown,
  path: string,
  problems: ConfigProblem[],
  context: SectionContext,
): PricesConfig | undefined {
  if (typeof value === 'string') return loadPricesFile(resolve(context.baseDir, value), problems);
  try {
    return { overrides: parsePriceOverrides(value, path) };
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    for (const issue of error.issues) problems.push({ path: childPath(path, issue.path), message: issue.message });
    return undefined;
  }
}

/** Reads a prices file (YAML or JSON); its problems are pushed with the file as `source`. */
export function loadPricesFile(file: string, problems: ConfigProblem[]): PricesConfig | undefined {
  try {
    return { overrides: loadPriceOverridesFile(file).overrides, file };
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    for (const issue of error.issues) problems.push({ source: file, path: issue.path, message: issue.message });
    return undefined;
  }
}
