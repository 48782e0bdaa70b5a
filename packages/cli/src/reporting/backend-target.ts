import { collectorBackend, fileBackend, type ReportBackend } from '@costspan/reporting';
import { type ArgValues, str } from '../args.js';
import { UsageError } from '../command.js';

/** The environment variable holding the collector's bearer token for --collector. */
export const COLLECTOR_TOKEN_ENV = 'COSTSPAN_COLLECTOR_AUTH_TOKEN';

export type BackendTarget = { store: string } | { parquet: string } | { collector: string; token: string | undefined };

/**
 * `--store FILE`, `--parquet DIR` or `--collector URL [--token T]` (token default: $COSTSPAN_COLLECTOR_AUTH_TOKEN),
 * exactly one.
 */
export function backendTarget(values: ArgValues): BackendTarget {
  const store = str(values, 'store');
  const collector = str(values, 'collector');
  const parquet = str(values, 'parquet');
  if ([store, collector, parquet].filter(Boolean).length > 1) {
    throw new UsageError('--store, --parquet and --collector exclude each other: choose one');
  }
  if (parquet) return { parquet };
  if (collector) {
    let url: URL;
    try {
      url = new URL(collector);
    } catch {
      throw new UsageError(`--collector must be a URL such as http://127.0.0.1:4318; got ${JSON.stringify(collector)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--collector must be an http(s) URL; got ${JSON.stringify(collector)}`);
    }
    return { collector, token: str(values, 'token') ?? (process.env[COLLECTOR_TOKEN_ENV] || undefined) };
  }
  if (str(values, 'token') !== undefined) throw new UsageError('--token goes with --collector');
  if (!store) throw new UsageError('--store FILE (or --parquet DIR, or --collector URL) is required');
  return { store };
}

export function openBackend(
  target: BackendTarget,
  options: { write?: boolean; prices?: string } = {},
): Promise<ReportBackend> {
  if ('store' in target) return fileBackend(target.store, options);
  if ('parquet' in target) return fileBackend(target.parquet, { ...options, parquet: true });
  return Promise.resolve(collectorBackend(target.collector, target.token));
}
