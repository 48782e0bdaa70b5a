import { spawn } from 'node:child_process';

/**
 * Child processes for the demo and the examples: each is started with piped output, reported ready when a line
 * of its output says so, and stopped (SIGTERM, then SIGKILL after a grace period) by `stopAll`, which also runs on
 * SIGINT / SIGTERM of this process, so nothing outlives the run.
 */
export class ProcessGroup {
  /** @param {{ onLine?: (name: string, line: string) => void }} [options] */
  constructor({ onLine } = {}) {
    this.children = [];
    this.onLine = onLine;
    this.stopping = undefined;
    this.onSignal = (signal) => {
      void this.stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /**
   * Spawns `command args` and resolves with `ready(line)`'s first defined value (a URL, a port). Rejects, with the
   * last lines of output, when the process exits first or `timeoutMs` passes.
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, ready?: (line: string) => unknown, timeoutMs?: number }} [options]
   * @returns {Promise<any>}
   */
  start(name, command, args, { env, cwd, ready = () => true, timeoutMs = 30_000 } = {}) {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { name, child, log: [], exited: false, code: null, signal: null };
    entry.done = /** @type {Promise<void>} */ (
      new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          entry.exited = true;
          entry.code = code;
          entry.signal = signal;
          resolve();
        }),
      )
    );
    this.children.push(entry);
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(`${name} was not ready after ${timeoutMs} ms`), timeoutMs);
      const fail = (message) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(`${message}\n${entry.log.slice(-20).join('\n')}`));
      };
      const onText = (stream) => {
        let rest = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          rest += chunk;
          let nl = rest.indexOf('\n');
          while (nl >= 0) {
            const line = rest.slice(0, nl);
            rest = rest.slice(nl + 1);
            entry.log.push(line);
            if (entry.log.length > 500) entry.log.shift();
            this.onLine?.(name, line);
            if (!settled) {
              const value = ready(line);
              if (value !== undefined && value !== false) {
                settled = true;
                clearTimeout(timer);
                resolve(value === true ? line : value);
              }
            }
            nl = rest.indexOf('\n');
          }
        });
      };
      onText(child.stdout);
      onText(child.stderr);
      child.once('error', (error) => fail(`${name} could not start: ${error.message}`));
      entry.done.then(() => fail(`${name} exited (code ${entry.code}, signal ${entry.signal}) before it was ready`));
    });
  }

  /** Output lines a child printed (the last 500); of the latest child of that name when there were several. */
  logOf(name) {
    return this.children.findLast((c) => c.name === name)?.log ?? [];
  }

  /** Stops one child: SIGTERM (graceful flush), SIGKILL after `graceMs`. Resolves with its exit code. */
  async stop(name, graceMs = 15_000) {
    const entry = this.children.find((c) => c.name === name && !c.exited);
    if (!entry) return this.children.find((c) => c.name === name)?.code ?? null;
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), graceMs);
    await entry.done;
    clearTimeout(timer);
    return entry.code;
  }

  /** Stops every child still running, newest first. */
  stopAll(graceMs = 15_000) {
    this.stopping ??= (async () => {
      for (const entry of [...this.children].reverse()) await this.stop(entry.name, graceMs);
      process.removeListener('SIGINT', this.onSignal);
      process.removeListener('SIGTERM', this.onSignal);
    })();
    return this.stopping;
  }
}

/** Resolves when `GET url` answers 2xx; rejects after `timeoutMs`. */
export async function waitForHttp(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The JSON object printed on a line, or undefined. */
export function jsonLine(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
