import { writeFile } from 'node:fs/promises';
import { InputError, StoreError } from '@costspan/reporting';
import type { CommandStreams } from '../command.js';
import { UsageError } from '../command.js';

export function defaultIo(): CommandStreams {
  return { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) };
}

/** Runs a command body, turning expected failures into messages and exit codes (2 usage, 1 data), never a stack trace. */
export async function guard(io: CommandStreams, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof StoreError || error instanceof InputError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    const e = error as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.path === 'string') {
      io.stderr.write(`error: cannot read ${e.path}: ${e.code}\n`);
      return 1;
    }
    io.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** Writes the output to --out (and says so on stderr) or to stdout. */
export async function emit(io: CommandStreams, text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  await writeFile(out, text);
  io.stderr.write(`wrote ${out}\n`);
}
