import type { CommandStreams } from '../command.js';

export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

/** Progress on stderr when it is a terminal (redrawn in place, at most every 100 ms); silent when piped. */
export function createProgress(io: CommandStreams): Progress {
  if (!io.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      io.stderr.write(`\r\u001b[2K${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%)`);
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
