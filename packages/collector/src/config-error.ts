import { ConfigError, type ConfigProblem } from '@costspan/config';

/**
 * An invalid collector configuration: every problem found, each naming its setting (`exporters.otlphttp.endpoint`,
 * `gpu.nodes[0].hourlyRate`, `--listen`). `key` is the first problem's path.
 */
export class CollectorConfigError extends ConfigError {
  override name = 'CollectorConfigError';

  constructor(key: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(keyOrProblems: string | readonly ConfigProblem[], problem = '') {
    const problems = typeof keyOrProblems === 'string' ? [{ path: keyOrProblems, message: problem }] : keyOrProblems;
    super(problems, { prefix: 'invalid collector configuration: ' });
  }

  /** The offending setting (of the first problem). */
  get key(): string {
    return this.problems[0]?.path ?? '';
  }
}
