import { diag } from '@opentelemetry/api';

/**
 * Where costspan's own messages go. The default writes one line to stderr: diag is silent unless the app set a
 * diag logger (OTEL_LOG_LEVEL), and a broken configuration must be seen. Tests replace it.
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

/** One error line on stderr (and diag). */
export function reportError(message: string): void {
  const line = `costspan: error: ${message}`;
  diag.error(line);
  writer(line);
}

/** One warning line on stderr (and diag), at most once per `key` in this process. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  const line = `costspan: warning: ${message}`;
  diag.warn(line);
  writer(line);
}
