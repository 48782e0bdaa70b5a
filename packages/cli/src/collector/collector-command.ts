import {
  type CollectorConfig,
  CollectorConfigError,
  collectorConfigFromFlags,
  costStages,
  type ReportQueryAnswerer,
  startCollector,
} from '@costspan/collector';
import { ConfigError } from '@costspan/config';
import { type ArgValues, parseCommandArgs, str, strs } from '../args.js';
import { UsageError } from '../command.js';

export const COLLECTOR_USAGE = `Usage: costspan-collector [options]

Receives OTLP/HTTP traces, prices inference spans (tokens and GPU node time), stores them and forwards
everything to your backend.

  --listen HOST:PORT          where to listen (default 127.0.0.1:4318)
  --forward URL               upstream OTLP/HTTP endpoint; repeat for several (base URL gets /v1/traces)
  --forward-protocol P        http/protobuf (default) or http/json, for --forward endpoints
  --forward-header K=V        header sent upstream; repeatable
  --store FILE                DuckDB store file (one row per inference span, per-window GPU node records)
  --config FILE               YAML config: receivers/processors/exporters/service plus the COSTSPAN_CONFIG sections
  --auth-token-file FILE      require "Authorization: Bearer <token in FILE>" on /v1/traces
                              and on report and budget queries
                              (or COSTSPAN_COLLECTOR_AUTH_TOKEN; --auth-token TOKEN shows in ps)
  --forward-header-file FILE  headers sent upstream, K=V per line (or COSTSPAN_COLLECTOR_FORWARD_HEADERS=K=V,K2=V2)
  --allow-insecure            listen beyond loopback without a token (refused otherwise)
  --max-body-bytes N          largest accepted request body (default 16777216)
  --queue-size N              spans each upstream queue holds before answering 503 (default 100000)
  --queue-bytes N             bytes each upstream queue holds before answering 503 (default 268435456)
  --data-dir DIR              where the persistent upstream queues live (default: beside --store as
                              FILE.data, else $XDG_STATE_HOME/costspan or ~/.local/state/costspan)
  --no-persistent-queue       keep upstream queues in memory only (queued spans are lost at a crash or stop)
  --shutdown-timeout D        how long a stop drains upstream queues, e.g. 10s (default); the rest stays queued
  --debug                     print a line per request and per span to stdout
  -h, --help                  show this help
`;

const OPTIONS = {
  listen: { type: 'string' },
  forward: { type: 'string', multiple: true },
  'forward-protocol': { type: 'string' },
  'forward-header': { type: 'string', multiple: true },
  store: { type: 'string' },
  config: { type: 'string' },
  'auth-token': { type: 'string' },
  'auth-token-file': { type: 'string' },
  'forward-header-file': { type: 'string' },
  'allow-insecure': { type: 'boolean' },
  'queue-bytes': { type: 'string' },
  'data-dir': { type: 'string' },
  'no-persistent-queue': { type: 'boolean' },
  'shutdown-timeout': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'queue-size': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

/**
 * Builds the configuration from flags (over the YAML file when --config is given). A flag the parser refuses is
 * a configuration problem named `arguments`, as every other problem of this command names its key.
 */
export function collectorConfigFromArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CollectorConfig {
  let values: ArgValues;
  try {
    values = parseCommandArgs(argv, OPTIONS).values;
  } catch (error) {
    if (error instanceof UsageError) throw new CollectorConfigError('arguments', error.message);
    throw error;
  }
  const list = (name: string) => (values[name] === undefined ? undefined : strs(values, name));
  return collectorConfigFromFlags(
    {
      listen: str(values, 'listen'),
      forward: list('forward'),
      forwardProtocol: str(values, 'forward-protocol'),
      forwardHeaders: list('forward-header'),
      store: str(values, 'store'),
      config: str(values, 'config'),
      authToken: str(values, 'auth-token'),
      authTokenFile: str(values, 'auth-token-file'),
      forwardHeaderFile: str(values, 'forward-header-file'),
      allowInsecure: values['allow-insecure'] === true,
      queueBytes: str(values, 'queue-bytes'),
      dataDir: str(values, 'data-dir'),
      noPersistentQueue: values['no-persistent-queue'] === true,
      shutdownTimeout: str(values, 'shutdown-timeout'),
      maxBodyBytes: str(values, 'max-body-bytes'),
      queueSize: str(values, 'queue-size'),
      debug: values.debug === true,
    },
    env,
  );
}

export interface CollectorCommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Resolves when the process should stop; default: the first SIGTERM or SIGINT. */
  stopSignal?: Promise<unknown>;
  /** Serves report queries on the store (`costspan collector` passes @costspan/reporting's). */
  answerReportQuery?: ReportQueryAnswerer;
}

/**
 * `costspan collector …` / `costspan-collector …`: runs until SIGTERM or SIGINT, then shuts down gracefully
 * (flushes allocation windows, drains upstream queues, closes the store). Resolves with the exit code:
 * 0 after a clean stop, 2 for an invalid configuration (the message names the key), 1 when it cannot start.
 */
export async function runCollectorCommand(argv: readonly string[], io: CollectorCommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout(COLLECTOR_USAGE);
    return 0;
  }
  let config: CollectorConfig;
  let stages: ReturnType<typeof costStages>;
  try {
    config = collectorConfigFromArgs(argv);
    stages = costStages(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`costspan-collector: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let running: Awaited<ReturnType<typeof startCollector>>;
  try {
    running = await startCollector(config, {
      stages,
      log: (m) => stderr(`costspan-collector: ${m}\n`),
      answerReportQuery: io.answerReportQuery,
    });
  } catch (error) {
    stderr(`costspan-collector: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  stderr(
    `costspan-collector: listening on ${running.url}/v1/traces` +
      (config.forward.length ? `, forwarding to ${config.forward.map((f) => f.url).join(', ')}` : '') +
      (config.store ? `, store ${config.store.path}` : '') +
      '\n',
  );
  const stop =
    io.stopSignal ??
    new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
  await stop;
  stderr('costspan-collector: shutting down (finishing requests and store writes, draining queues)\n');
  await running.close();
  const s = running.stats();
  stderr(
    `costspan-collector: stopped; received ${s.received}, priced ${s.priced}, unpriced ${s.unpriced}, ` +
      `stored ${s.stored}, refused ${s.refused}; upstream: delivered ${s.delivered}, persisted ${s.persisted}, ` +
      `dropped ${s.dropped}\n`,
  );
  return 0;
}
