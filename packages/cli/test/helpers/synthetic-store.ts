/**
 * Writes a synthetic collector store with SQL alone (generate_series, deterministic arithmetic instead of random()):
 * the published schema, `rows` inference spans spread over `days` days from 2026-10-01 (about rows ÷ days a day),
 * 20 features, 500 tenants, several catalog models (some with long-context and service tiers), unpriced rows,
 * cached and reasoning tokens, and a self-hosted GPU node with 60 s windows. Used by the golden tests (small) and
 * the benchmark (millions of rows).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DuckDBInstance } from '@duckdb/node-api';

export interface SyntheticOptions {
  rows: number;
  days: number;
  /** GPU windows per node and day (default: every 60 s of 12 busy hours a day, capped by rows). */
  nodes?: number;
}

const MODELS = [
  // provider, model, share weight (index into this list chosen by a hash)
  ['openai', 'gpt-4o-2024-08-06'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'o3-mini'],
  ['anthropic', 'claude-sonnet-4-20250514'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['google', 'gemini-2.5-pro'],
  ['google', 'gemini-2.5-flash'],
  ['vllm', 'llama-3.1-8b'],
  ['openai', 'mystery-model'],
] as const;

/** The collector's published store schema (every statement `CREATE TABLE IF NOT EXISTS`). */
export function schemaSql(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('@costspan/collector/sql/store-schema.sql'), 'utf8');
}

/** Creates `path` (must not exist) and fills it. */
export async function writeSyntheticStore(path: string, options: SyntheticOptions): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    await c.run(schemaSql());
    const models = MODELS.map(([p, m], i) => `(${i}, '${p}', '${m}')`).join(', ');
    const spanMs = Math.max(1, Math.floor((options.days * 86_400_000) / options.rows));
    // h1..h4: independent pseudo-random integers per row from a multiplicative hash of i.
    await c.run(`
      INSERT INTO inference_spans
      WITH base AS (
        SELECT i,
          (i * 2654435761) % 4294967291 AS h1,
          (i * 40503 + 12345) % 65521 AS h2,
          (i * 69069 + 1) % 1000003 AS h3,
          (i * 1103515245 + 12345) % 2147483647 AS h4
        FROM generate_series(0, ${options.rows - 1}) t(i)
      ), m AS (SELECT * FROM (VALUES ${models}) v(idx, provider, model)),
      r AS (
        SELECT b.*, m.provider, m.model,
          TIMESTAMP '2026-10-01' + to_milliseconds(b.i * ${spanMs} + (b.h2 % 997)) AS ts,
          CASE WHEN b.h3 % 10 = 0 THEN 200000 + b.h4 % 400000 ELSE 100 + b.h4 % 8000 END AS input_tokens,
          20 + b.h1 % 1500 AS output_tokens
        FROM base b JOIN m ON m.idx = b.h1 % ${MODELS.length}
      ), s AS (
        SELECT r.*,
          CASE WHEN h2 % 3 = 0 THEN (input_tokens * (h3 % 50)) // 100 ELSE 0 END AS cache_read,
          CASE WHEN provider = 'anthropic' AND h2 % 5 = 1 THEN (input_tokens * (h3 % 20)) // 100 ELSE 0 END AS cache_write,
          CASE WHEN model = 'o3-mini' OR (model LIKE 'gemini%' AND h2 % 2 = 0) THEN (output_tokens * (h4 % 60)) // 100 ELSE 0 END AS reasoning,
          CASE WHEN model = 'mystery-model' THEN 'unpriced' WHEN h4 % 97 = 0 THEN 'partial' ELSE 'priced' END AS status,
          CASE WHEN provider = 'vllm' THEN 'gpu-' || chr(97 + (h2 % 3)::INT) ELSE NULL END AS node,
          CASE h4 % 11 WHEN 0 THEN 'priority' WHEN 1 THEN 'flex' WHEN 2 THEN 'Default' WHEN 3 THEN 'unheard-of' ELSE NULL END AS tier
        FROM r
      ), c AS (
        SELECT s.*,
          CASE WHEN status = 'unpriced' THEN NULL ELSE (input_tokens - cache_read - cache_write) * (1 + h2 % 5) * 250 END AS ci,
          CASE WHEN status = 'unpriced' THEN NULL ELSE output_tokens * (1 + h3 % 7) * 1000 END AS co,
          CASE WHEN status = 'unpriced' THEN NULL ELSE cache_read * 125 END AS ccr,
          CASE WHEN status = 'unpriced' THEN NULL ELSE cache_write * 3750 END AS ccw,
          CASE WHEN status = 'unpriced' THEN NULL WHEN node IS NOT NULL THEN 1000 + h4 % 90000 ELSE 0 END AS cg,
          CASE WHEN status = 'unpriced' THEN NULL WHEN node IS NOT NULL THEN h2 % 5000 ELSE 0 END AS cidle
        FROM s
      )
      SELECT
        lpad(printf('%x', i), 32, '0'), lpad(printf('%x', h1 % 65536), 16, '0'), NULL,
        ts, ts + to_milliseconds(200 + h2 % 5000), epoch_ns(ts), (200 + h2 % 5000)::DOUBLE, 'chat ' || model,
        'svc-' || (h3 % 3)::VARCHAR, 'chat', provider, model,
        CASE WHEN h1 % 4 = 0 THEN NULL ELSE model END,
        CASE WHEN h2 % 41 = 0 THEN NULL ELSE 'feature-' || lpad((h3 % 20)::VARCHAR, 2, '0') END,
        CASE WHEN h4 % 53 = 0 THEN NULL ELSE 'tenant-' || lpad((h4 % 500)::VARCHAR, 3, '0') END,
        tier, input_tokens, output_tokens, cache_read, cache_write,
        CASE WHEN cache_write > 0 AND h3 % 2 = 0 THEN cache_write // 2 ELSE 0 END, reasoning, 0, 0, 0,
        status, CASE WHEN status = 'unpriced' THEN 'unknown model' ELSE NULL END,
        CASE WHEN status = 'unpriced' THEN NULL ELSE provider END,
        CASE WHEN status = 'unpriced' THEN NULL WHEN h1 % 4 = 1 THEN NULL ELSE model END,
        'synthetic', NULL, 'local', 'USD',
        CASE WHEN status = 'unpriced' THEN NULL ELSE ci + co + ccr + ccw + cg + cidle END,
        ci, co, ccr, ccw, 0, cg, cidle, 0,
        CASE WHEN status = 'unpriced' THEN NULL ELSE (ci + co + ccr + ccw + cg + cidle) / 1e9 END,
        node, CASE WHEN node IS NULL THEN NULL ELSE 1.0 END, NULL, NULL, NULL, ts
      FROM c`);
    const windowsPerNodeDay = Math.min(720, Math.max(1, Math.floor(options.rows / options.days / 100)));
    const nodes = options.nodes ?? 3;
    await c.run(`
      INSERT INTO gpu_node_windows
      WITH w AS (
        SELECT 'gpu-' || chr(97 + n::INT) AS node,
          TIMESTAMP '2026-10-01' + to_days(d::INT) + to_minutes((k * 2)::INT) AS ws, n, d, k,
          ((n + 1) * 7919 + d * 104729 + k * 15485863) % 60001 AS busy_ms
        FROM generate_series(0, ${nodes - 1}) a(n), generate_series(0, ${options.days - 1}) b(d),
          generate_series(0, ${windowsPerNodeDay - 1}) c(k)
      )
      SELECT node, ws, ws + INTERVAL 60 SECOND, 'USD', 41500000, (41500000 * busy_ms) // 60000,
        41500000 - (41500000 * busy_ms) // 60000, CASE WHEN n = 1 THEN (41500000 - (41500000 * busy_ms) // 60000) // 2 ELSE 0 END,
        0, 0.0415, busy_ms / 1000.0, busy_ms / 60000.0, (k * 31 + d) % 40, 'time', CASE WHEN n = 1 THEN 'shared' ELSE 'unallocated' END
      FROM w`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
