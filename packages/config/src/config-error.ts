import { type ConfigProblem, formatProblem } from './problem.js';

/**
 * An invalid configuration: every problem found, each with its path. `message` lists them all on one line,
 * `<prefix><source>: <path>: <message>; …`. Nothing of an invalid configuration is applied.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /** The configuration file (or another label for the document), when known. */
  readonly source: string | undefined;

  constructor(problems: readonly ConfigProblem[], options: { source?: string; prefix?: string } = {}) {
    super(`${options.prefix ?? ''}${problems.map((p) => formatProblem(p, options.source)).join('; ')}`);
    this.problems = problems;
    this.source = options.source;
  }
}
