/** Starting fixture apps as child processes, the way users start them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment of a child: the test's, without OTEL_* / COSTSPAN_* leaking in, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('COSTSPAN_')),
  );
  return { ...base, ...env };
}

export interface Running {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
  finished: Promise<Finished>;
}

/** Starts `node ...args` in the package directory (so `@costspan/node/register` resolves like in an app). */
export function startNode(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_DIR, env: childEnv(env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of [...waiters]) {
      const found = stdout.split('\n').find((l) => w.pattern.test(l));
      if (found !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(found);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    finished,
    line: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const found = stdout.split('\n').find((l) => pattern.test(l));
        if (found !== undefined) return resolve(found);
        waiters.push({ pattern, resolve });
        void finished.then((f) => reject(new Error(`child ended before printing ${pattern}: ${f.stderr}`)));
      }),
  };
}

/** Runs `node ...args` to completion. */
export function runNode(args: string[], env: Record<string, string>): Promise<Finished> {
  return startNode(args, env).finished;
}
