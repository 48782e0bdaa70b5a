import type { CommandIo } from '@costspan/reporting';

export function captureIo(isTTY = false): CommandIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    isTTY,
    out: () => out,
    err: () => err,
  };
}
