import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@costspan/reporting';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, childPids, runToEnd } from './run-process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Sum of `nanos` strings: exact. */
const usdToNanos = (usd: string) => {
  const [whole, frac = ''] = usd.split('.');
  return BigInt(whole!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
};

describe('npm run demo (scripts/demo/run.mjs, the code path `npm run demo` runs after building)', () => {
  it('runs, exits 0, and prints totals, utilization and reconciliation that match the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-demo-test-'));
    dirs.push(dir);
    const run = await runToEnd(process.execPath, ['scripts/demo/run.mjs'], {
      env: { COSTSPAN_DEMO_DIR: dir },
      timeoutMs: 110_000,
    });
    expect(run.stderr + run.stdout).not.toMatch(/demo failed/);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('[demo] starting the costspan collector');
    expect(out).toContain(`HTML report: ${join(dir, 'report.html')}`);

    // The printed TOTAL line equals the store's own sums (requests, exact nano-dollars).
    const total = /^TOTAL\s+(\d+)\s+\$(\S+)\s+\$(\S+)$/m.exec(out);
    expect(total).not.toBeNull();
    const store = await openStore(join(dir, 'costspan.duckdb'));
    try {
      const reader = await store.connection.runAndReadAll(
        `SELECT count(*) AS n, sum(cost_nanos) AS cost, count(*) FILTER (WHERE pricing_status = 'unpriced') AS unpriced,
                count(*) FILTER (WHERE gpu_node IS NOT NULL) AS gpu
         FROM inference_spans`,
      );
      const row = reader.getRowObjects()[0]!;
      expect(Number(row.n)).toBe(Number(total![1]));
      expect(BigInt(String(row.cost))).toBe(usdToNanos(total![2]!));
      expect(Number(row.unpriced)).toBe(0);
      expect(Number(row.gpu)).toBe(540); // 20 + 120 + 400 self-hosted requests, each allocated GPU time
      // Priced in-process by `node --import @costspan/node/register` (`unpriced`: the model is not in the price
      // book), GPU time allocated by the collector: every self-hosted row is priced at its node's GPU cost (direct
      // + shared idle, no token cost), with the exact figures of its closed windows.
      const selfHosted = await store.connection.runAndReadAll(
        `SELECT count(*) AS n FROM inference_spans
         WHERE gpu_node = 'vllm-gpu-a' AND pricing_status = 'priced' AND pricing_source = 'gpu-node:vllm-gpu-a'
           AND allocation_final AND cost_nanos = cost_gpu_nanos + coalesce(cost_idle_nanos, 0)`,
      );
      expect(Number(selfHosted.getRowObjects()[0]!.n)).toBe(540);
      // Exact conservation (idle shared): the self-hosted requests carry exactly the cost of the node windows they
      // ran in, to the nano-dollar.
      const windows = await store.connection.runAndReadAll(
        'SELECT sum(node_cost_nanos) AS cost FROM gpu_node_windows WHERE requests > 0',
      );
      const gpuRequests = await store.connection.runAndReadAll(
        'SELECT sum(cost_nanos) AS cost FROM inference_spans WHERE gpu_node IS NOT NULL',
      );
      expect(BigInt(String(gpuRequests.getRowObjects()[0]!.cost))).toBe(
        BigInt(String(windows.getRowObjects()[0]!.cost)),
      );
    } finally {
      store.close();
    }

    // The utilization table: per-request cost falls as throughput rises at a fixed rate, checkable by hand.
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    const levels = summary.utilization as Array<Record<string, string | number>>;
    expect(levels.map((l) => l.requests)).toEqual([20, 120, 400]);
    // each level: two 3 s windows at $3.60/h = $0.006
    expect(levels.map((l) => l.nodeCostNanos)).toEqual(['6000000', '6000000', '6000000']);
    expect(levels.map((l) => l.costPerRequestNanos)).toEqual(['300000', '50000', '15000']);
    expect(Number(levels[0]!.utilization)).toBeLessThan(Number(levels[1]!.utilization));
    expect(Number(levels[1]!.utilization)).toBeLessThan(Number(levels[2]!.utilization));
    expect(out).toMatch(/200\/h\s+20\s+12,000\s+[\d.]+ %\s+\$0\.006000\s+[\d.]+ %\s+\$0\.0003000\s+\$0\.01800/);
    expect(out).toMatch(/4000\/h\s+400\s+240,000\s+[\d.]+ %\s+\$0\.006000\s+[\d.]+ %\s+\$0\.0000150\s+\$0\.00090/);

    // Cost per request by component, from the report's split over the whole store: always printed, its parts sum
    // to each feature's cost exactly. With the collector pricing non-model spans (store schema 2 has the
    // component_spans table), each RAG request carries its Qdrant query (the pod's share) and its Cohere rerank
    // (one search unit at $2.00 per 1,000) beside its model tokens, and the split equals the store's own sums.
    expect(out).toContain('Cost per request by component: model tokens, GPU time, retrieval, rerank, overhead');
    const split = summary.split as {
      parts: string[];
      rows: Array<{ feature: string; requests: number; cost: string; parts: Record<string, string> }>;
      total: { cost: string; parts: Record<string, string> };
    };
    for (const row of [...split.rows, split.total]) {
      expect(Object.values(row.parts).reduce((a, v) => a + usdToNanos(v), 0n)).toBe(usdToNanos(row.cost));
    }
    expect(split.rows.find((r) => r.feature === 'assist')?.parts.gpu).toBeDefined();
    const rag = split.rows.find((r) => r.feature === 'rag')!;
    expect(rag.requests).toBe(6);
    const splitStore = await openStore(join(dir, 'costspan.duckdb'));
    try {
      const tables = await splitStore.connection.runAndReadAll(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'component_spans'",
      );
      if (Number(tables.getRowObjects()[0]!.n) > 0) {
        expect(split.parts).toEqual(expect.arrayContaining(['tokens', 'gpu', 'rerank', 'retrieval', 'overhead']));
        expect(Object.keys(rag.parts)).toEqual(expect.arrayContaining(['tokens', 'rerank', 'retrieval']));
        expect(rag.parts.rerank).toBe('0.012');
        // The header has the two components between gpu and overhead, in order of their cost.
        const header = /^feature\s+requests\s+unpriced\s+cost\s+per request\s+tokens\s+gpu\s+(.*)\soverhead$/m.exec(
          out,
        );
        expect(header?.[1]?.trim().split(/\s+/).sort()).toEqual(['rerank', 'retrieval']);
        expect(out).toMatch(/^rag\s+6\s+\$\S+\s+\$\S+\s+\$\S+\s+\$0\s+.*\$0\.002000(\s|$)/m); // rerank per request
        const stored = await splitStore.connection.runAndReadAll(
          `SELECT component, count(*) AS n, sum(cost_nanos) AS cost FROM component_spans WHERE feature = 'rag'
           GROUP BY component ORDER BY component`,
        );
        const byComponent = stored.getRowObjects().map((r) => [r.component, Number(r.n), String(r.cost)]);
        expect(byComponent).toEqual([
          ['rerank', 6, '12000000'],
          ['retrieval', 6, String(usdToNanos(rag.parts.retrieval!) + usdToNanos(rag.parts.overhead ?? '0'))],
        ]);
        const model = await splitStore.connection.runAndReadAll(
          "SELECT sum(cost_nanos) AS cost FROM inference_spans WHERE feature = 'rag' AND pricing_status <> 'unpriced'",
        );
        expect(usdToNanos(rag.cost)).toBe(
          BigInt(String(model.getRowObjects()[0]!.cost)) + 12_000_000n + BigInt(String(byComponent[1]![2])),
        );
      }
    } finally {
      splitStore.close();
    }

    // Reconciliation: the sample invoice differs from the estimate; adjustments make them equal.
    expect(out).toMatch(/gpt-4o-mini-2024-07-18\s+\$0\.00212715\s+\$0\.00219\s+\$0\.00006285\s+1\.030\s+ok/);
    expect(out).toMatch(/o4-mini-2025-04-16\s+\$0\.0022418\s+\$0\.00251\s+\$0\.0002682\s+1\.120\s+FLAGGED/);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<canvas');

    // The budget: acme's provider calls ($0.0042464) cross the soft 50 % of $0.008, its self-hosted share the limit;
    // each logged once by the collector, the gauges on /metrics, checkBudget denying.
    expect(out).toContain("budget 'acme-daily' (tenant acme, day from");
    expect(out.match(/soft threshold 50% crossed/g)).toHaveLength(1);
    expect(out.match(/limit reached: \$0\.0\d+ of \$0\.008/g)).toHaveLength(1);
    expect(out).toMatch(
      /checkBudget\(\{ tenant: 'acme' \}\) → allowed: false, spent \$0\.0\d+, limit \$0\.008, remaining \$0/,
    );
    expect(out).toMatch(/\/metrics costspan_budget_utilization\{[^}]*costspan_budget_name="acme-daily"[^}]*\} 1\.\d+/);
    expect(summary.budget.decision.allowed).toBe(false);
    // The forecast and consolidation tables of the store.
    expect(out).toMatch(/forecast \d{4}-\d{2} by tenant, as of/);
    expect(out).toMatch(/^observed \(1\)\s+540\s/m);
  });

  it('stops every child process on Ctrl-C (SIGINT) and leaves no orphans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'costspan-demo-sigint-'));
    dirs.push(dir);
    let children: number[] = [];
    const run = await runToEnd(process.execPath, ['scripts/demo/run.mjs'], {
      env: { COSTSPAN_DEMO_DIR: dir },
      timeoutMs: 60_000,
      onStart(child) {
        let sent = false;
        child.stdout?.on('data', async (text: string) => {
          if (sent || !text.includes('[demo] provider traffic')) return;
          sent = true;
          children = await childPids(child.pid!);
          child.kill('SIGINT');
        });
      },
    });
    expect(children.length).toBeGreaterThanOrEqual(5); // simulators, vLLM, collector, two services
    expect(run.code).toBe(130);
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(alive)).toEqual([]);
  });
});
