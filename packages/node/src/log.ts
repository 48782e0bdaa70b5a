/**
 * Where costspan's own messages go: one line each on stderr. Not through `diag`, which is silent unless the app
 * set a diag logger (and would print the line twice when it did): a broken configuration must be seen once.
 * Tests replace the writer.
 */
export type LineWriter = (line: string) => void;

let writer: LineWriter = (line) => {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // stderr closed: nothing left to tell
  }
};
const warned = new Set<string>();

/** Replaces the writer (tests); returns the previous one. */
export function setLineWriter(next: LineWriter): LineWriter {
  const previous = writer;
  writer = next;
  return previous;
}

/** One error line on stderr. */
export function reportError(message: string): void {
  writer(`costspan: error: ${message}`);
}

/** One warning line on stderr, at most once per `key` in this process. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  writer(`costspan: warning: ${message}`);
}
