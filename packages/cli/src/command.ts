/** What every `costspan` command looks like, so a new command is one file under commands/ plus one registry line. */

/** Where a command writes. Tests and the bin pass process streams; output is whole lines. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** The process streams, when the command runs in the bin (for progress on a TTY and large outputs). */
  streams?: CommandStreams;
}

/** Streams a command writes to as it goes (the reporting commands); tests pass their own. */
export interface CommandStreams {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Whether stderr is an interactive terminal (progress is shown only then). */
  isTTY?: boolean;
}

export interface Command {
  /** Words that select it, e.g. ['prices', 'list']. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Runs with the arguments after the command words; returns the exit code. */
  run(args: string[], io: CommandIo): number | Promise<number>;
}

/** Exit codes: 0 success, 1 unexpected failure, 2 bad usage or an answer the user must act on (unknown model, invalid file). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
