import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data directory: `explicit` when given; else beside the store file (`<store>.data`); else
 * `$XDG_STATE_HOME/costspan`, falling back to `~/.local/state/costspan`.
 */
export function defaultDataDir(
  explicit: string | undefined,
  storePath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (explicit) return resolve(explicit);
  if (storePath && storePath !== ':memory:') return resolve(`${storePath}.data`);
  const state =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(resolve(state), 'costspan');
}

/**
 * One forwarder's queue directory: named after the exporter and a hash of its URL, so a queue is replayed to
 * the endpoint it was written for (a changed URL starts a new queue; the old one stays on disk).
 */
export function queueDir(dataDir: string, exporter: string, url: string): string {
  const safe = exporter.replace(/[^A-Za-z0-9_.-]/g, '_');
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 12);
  return join(dataDir, 'queue', `${safe}-${hash}`);
}
