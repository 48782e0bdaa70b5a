import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBudget, clearBudgetCache } from './check-budget.js';
import { setLineWriter } from './log.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('checkBudget when the collector cannot answer', () => {
  const lines: string[] = [];
  let previous: ReturnType<typeof setLineWriter>;
  let server: Server | undefined;
  beforeEach(() => {
    clearBudgetCache();
    lines.length = 0;
    previous = setLineWriter((line) => lines.push(line));
  });
  afterEach(async () => {
    setLineWriter(previous);
    delete process.env.COSTSPAN_BUDGET_FAIL_CLOSED;
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  });

  it('fails open with one warning when the collector is down', async () => {
    const collector = new URL(`http://127.0.0.1:${await closedPort()}`);
    const first = await checkBudget({ tenant: 'acme', collector, cacheMs: 0 });
    const second = await checkBudget({ tenant: 'globex', collector, cacheMs: 0 });
    for (const answer of [first, second]) {
      expect(answer).toEqual({
        allowed: true,
        spent: 0,
        limit: Number.POSITIVE_INFINITY,
        remaining: Number.POSITIVE_INFINITY,
        resetsAt: '',
        stale: true,
      });
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^costspan: warning: checkBudget: the collector at http:\/\/127\.0\.0\.1:\d+ did not answer \(ECONNREFUSED\); calls are allowed \(fail-open\)/,
    );
  });

  it('fails closed by option or by COSTSPAN_BUDGET_FAIL_CLOSED', async () => {
    const collector = new URL(`http://127.0.0.1:${await closedPort()}`);
    expect(await checkBudget({ tenant: 'acme', collector, failClosed: true, cacheMs: 0 })).toMatchObject({
      allowed: false,
      stale: true,
    });
    process.env.COSTSPAN_BUDGET_FAIL_CLOSED = 'true';
    expect(await checkBudget({ tenant: 'initech', collector, cacheMs: 0 })).toMatchObject({
      allowed: false,
      stale: true,
    });
  });

  it('gives up after its timeout on a collector that hangs, and treats a refusal (401) as no answer', async () => {
    let mode: 'hang' | 'deny' = 'hang';
    server = createServer((request, response) => {
      request.resume();
      if (mode === 'deny') response.writeHead(401).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const collector = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(await checkBudget({ tenant: 'acme', collector, timeoutMs: 50, cacheMs: 0 })).toMatchObject({
      allowed: true,
      stale: true,
    });
    expect(lines.at(-1)).toContain('did not answer (timed out)');
    server.closeAllConnections();
    mode = 'deny';
    expect(await checkBudget({ tenant: 'acme', collector, failClosed: true, cacheMs: 0 })).toMatchObject({
      allowed: false,
      stale: true,
    });
    expect(lines.at(-1)).toContain('HTTP 401 (set COSTSPAN_COLLECTOR_AUTH_TOKEN');
  });
});
