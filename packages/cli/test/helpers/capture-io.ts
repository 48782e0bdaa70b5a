import type { CommandStreams } from '../../src/command.js';

export function captureIo(isTTY = false): CommandStreams & { out(): string; err(): string } {
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
