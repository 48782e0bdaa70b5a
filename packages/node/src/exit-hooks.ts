/**
 * The last spans leave before the process does, without changing how it ends:
 * - SIGTERM / SIGINT with no other listener: shut down (bounded by a timeout), then re-raise the signal, so the
 *   process ends exactly as it would have without us (killed by that signal).
 * - SIGTERM / SIGINT with the app's own listeners: flush only; the app decides whether and when to exit.
 * - beforeExit (the event loop ran dry): shut down once; the exit code is untouched.
 * `process.exit()` cannot be waited for: apps that call it should `await handle.shutdown()` first.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface ExitHookTarget {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Installs the hooks; returns the function that removes them. */
export function installExitHooks(target: ExitHookTarget, timeoutMs: number): () => void {
  const listeners = new Map<NodeJS.Signals, () => void>();
  let beforeExitDone = false;

  const remove = () => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    listeners.clear();
    process.removeListener('beforeExit', onBeforeExit);
  };

  const onBeforeExit = () => {
    if (beforeExitDone) return;
    beforeExitDone = true;
    void bounded(target.shutdown(), timeoutMs, true);
  };

  for (const signal of SIGNALS) {
    const listener = () => {
      if (process.listenerCount(signal) > 1) {
        // The app handles this signal itself: it decides about exiting; we only make sure spans are out.
        void bounded(target.forceFlush(), timeoutMs, false);
        return;
      }
      // Ours was the only listener: without us Node would have ended the process with this signal.
      remove();
      void bounded(target.shutdown(), timeoutMs, true).then(() => {
        try {
          process.kill(process.pid, signal);
        } catch {
          process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
        }
      });
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
  process.on('beforeExit', onBeforeExit);
  return remove;
}

/**
 * Waits for `work` at most `ms`; never rejects. With `hold`, the timer keeps the process alive until the work is
 * done or the time is up (so a signal is re-raised even when the export's own handles do not keep it alive).
 */
function bounded(work: Promise<void>, ms: number, hold: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!hold) timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
