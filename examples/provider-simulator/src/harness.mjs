import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { jsonLine, waitForHttp } from './processes.mjs';

const require = createRequire(import.meta.url);
/** The `costspan` command of @costspan/cli (built). */
export const costspanBin = join(dirname(require.resolve('@costspan/cli/package.json')), 'dist/bin.js');
const simulatorMain = join(dirname(new URL(import.meta.url).pathname), 'main.mjs');

/** Starts the provider simulator (`which` = providers | vllm) as a child of `group`; resolves to its base URL. */
export function startSimulator(group, which, args = []) {
  return group.start(which, process.execPath, [simulatorMain, which, ...args], { ready: (l) => jsonLine(l)?.[which] });
}

/**
 * Starts `costspan collector` with `config` (an object: the collector's YAML shape plus prices / gpu) on a free
 * loopback port with a DuckDB store in a temporary directory. Resolves to `{ url, store }`.
 */
export async function startCostspanCollector(group, config = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'costspan-example-'));
  const store = join(dir, 'costspan.duckdb');
  const full = {
    receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:0' } } } },
    processors: { costspan: { window_grace: '1s' } },
    exporters: { duckdb: { path: store } },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: ['costspan'], exporters: ['duckdb'] } } },
    ...config,
  };
  const configPath = join(dir, 'collector.yaml');
  await writeFile(configPath, JSON.stringify(full, null, 2));
  const url = await group.start('collector', process.execPath, [costspanBin, 'collector', '--config', configPath], {
    ready: (l) => /listening on (http:\/\/\S+)\/v1\/traces/.exec(l)?.[1],
  });
  await waitForHttp(`${url}/health`);
  return { url, store, dir };
}

/** Runs `costspan ARGS` to completion, printing its output; rejects on a non-zero exit. */
export async function costspan(group, args) {
  const lines = [];
  const name = `costspan ${args[0]}`;
  await group
    .start(name, process.execPath, [costspanBin, ...args], { ready: () => undefined, timeoutMs: 60_000 })
    .catch((error) => {
      if (!/exited \(code 0,/.test(error.message)) throw error;
    });
  for (const line of group.logOf(name)) lines.push(line);
  return lines.join('\n');
}
