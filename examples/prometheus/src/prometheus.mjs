import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Prometheus binary: $PROMETHEUS_PATH, else Debian's /usr/bin/prometheus; undefined when not installed. */
export function prometheusBinary() {
  const candidates = [process.env.PROMETHEUS_PATH, '/usr/bin/prometheus', '/usr/local/bin/prometheus'];
  return candidates.find((p) => p && existsSync(p));
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Prometheus on loopback with `config` (YAML text) in a temporary directory (config + TSDB), waits until it
 * is ready, and returns `{ url, stop }`. `stop()` ends it and removes the directory.
 */
export async function startPrometheus(config, { timeoutMs = 30_000 } = {}) {
  const binary = prometheusBinary();
  if (!binary) throw new Error('prometheus is not installed (apt-get install prometheus, or set PROMETHEUS_PATH)');
  const dir = await mkdtemp(join(tmpdir(), 'costspan-prometheus-'));
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (t) => {
    log = (log + t).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/ready`);
      await res.arrayBuffer();
      if (res.ok) return { url, stop };
    } catch {
      // starting
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** @typedef {{ metric: Record<string, string | undefined>, value: number }} PromSample */

/**
 * An instant PromQL query through the HTTP API: `[{ metric, value: number }]`.
 * @param {string} url
 * @param {string} promql
 * @returns {Promise<PromSample[]>}
 */
export async function query(url, promql) {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body =
    /** @type {{ status: string, error?: string, data: { result: { metric: Record<string, string>, value: [number, string] }[] } }} */ (
      await res.json()
    );
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? res.status}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/**
 * Polls `promql` until `accept(result)` is true (e.g. every expected series is there) or `timeoutMs` passes.
 * @param {string} url
 * @param {string} promql
 * @param {(result: PromSample[]) => boolean} accept
 */
export async function queryUntil(url, promql, accept, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await query(url, promql);
    if (accept(result)) return result;
    if (Date.now() > deadline)
      throw new Error(`${promql}: no acceptable answer in ${timeoutMs} ms: ${JSON.stringify(result)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A scrape config for one target, scraped every `interval`. */
export function scrapeConfig(target, interval = '1s') {
  return `global:\n  scrape_interval: ${interval}\nscrape_configs:\n  - job_name: costspan-app\n    static_configs:\n      - targets: ['${target}']\n`;
}
