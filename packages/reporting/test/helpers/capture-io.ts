import type { CommandIo } from '../../src/types.js';

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
