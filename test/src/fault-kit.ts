/**
 * Tools for the collector fault-injection suite: a JSON OTLP upstream that records span ids (and can be made to
 * fail), senders that behave like an OTLP SDK (retry a batch on 503 or a connection error until it is answered
 * 200), and a collector run as a real process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DuckDbStore } from '@costspan/collector';
import { repoRoot } from './run-process.js';

export const COLLECTOR_BIN = join(repoRoot, 'packages', 'cli', 'dist', 'collector-bin.js');

export type UpstreamMode = 'ok' | 'down503' | 'reset';

/** The far side: accepts OTLP/JSON, records every span id it confirmed. */
export class RecordingUpstream {
  readonly spanIds = new Set<string>();
  confirmedRequests = 0;
  mode: UpstreamMode = 'ok';
  /** Delay before answering, ms (a slow backend). */
  delayMs = 0;
  /** While true, requests wait unanswered (a stalled backend) until `release()`. */
  holding = false;
  private held: Array<() => void> = [];
  private server: Server | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = () => {
          if (this.mode === 'reset') return req.socket.destroy();
          if (this.mode === 'down503') return res.writeHead(503, { 'retry-after': '0' }).end();
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          for (const rs of body.resourceSpans ?? [])
            for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) this.spanIds.add(span.spanId);
          this.confirmedRequests++;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        };
        if (this.holding) this.held.push(answer);
        else if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers the requests held so far and stops holding. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** One OTLP/JSON batch of inference spans with span ids `<batch><index>` (16 hex). */
export function inferenceBatch(batch: number, spans: number, padding = 0): { body: string; ids: string[] } {
  const ids: string[] = [];
  const list = Array.from({ length: spans }, (_, i) => {
    const spanId = `${batch.toString(16).padStart(10, '0')}${(i + 1).toString(16).padStart(6, '0')}`;
    ids.push(spanId);
    return {
      traceId: `${batch.toString(16).padStart(16, '0')}${'a'.repeat(16)}`,
      spanId,
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: '1759320000000000000',
      endTimeUnixNano: '1759320000250000000',
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: String(100 + i) } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '20' } },
        ...(padding > 0 ? [{ key: 'app.padding', value: { stringValue: 'p'.repeat(padding) } }] : []),
      ],
    };
  });
  return {
    body: JSON.stringify({
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'faults' }, spans: list }] }],
    }),
    ids,
  };
}

/** POSTs once; resolves with the status, 0 for a connection error. */
export function postOnce(url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/v1/traces`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.setTimeout(15_000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export interface LoadResult {
  /** Span ids answered 200. */
  acked: Set<string>;
  /** Batches never answered 200 (to send again, as an SDK would after a restart). */
  unacked: number[];
  statuses: Map<number, number>;
}

/**
 * Sends batches `first..first+count-1` from `senders` concurrent senders until `stop()` returns true; a batch
 * answered 503 or a connection error is retried (after a short pause) until 200 or stop.
 */
export async function sendLoad(
  url: () => string,
  options: {
    first: number;
    count: number;
    spans: number;
    senders: number;
    padding?: number;
    stop?: () => boolean;
    /** Filled as answers arrive (watch it to act mid-load). */
    acked?: Set<string>;
    /** Counts of answers by status, filled as they arrive (0: connection error). */
    statuses?: Map<number, number>;
  },
): Promise<LoadResult> {
  const acked = options.acked ?? new Set<string>();
  const statuses = options.statuses ?? new Map<number, number>();
  const unacked: number[] = [];
  let next = options.first;
  const end = options.first + options.count;
  await Promise.all(
    Array.from({ length: options.senders }, async () => {
      while (next < end) {
        const n = next++;
        const { body, ids } = inferenceBatch(n, options.spans, options.padding ?? 0);
        let ok = false;
        while (!ok && !options.stop?.()) {
          const status = await postOnce(url(), body);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) ok = true;
          else if (status === 503 || status === 0) await new Promise((r) => setTimeout(r, 20));
          else throw new Error(`collector answered ${status} for batch ${n}`);
        }
        if (ok) for (const id of ids) acked.add(id);
        else unacked.push(n);
      }
    }),
  );
  return { acked, unacked, statuses };
}

/** A collector run as a process: its URL (from the start line), its stderr and its exit. */
export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startCollectorProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [COLLECTOR_BIN, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${err}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      err += text;
      const m = /listening on (http:\/\/[^/\s]+)\/v1\/traces/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exit.then(() => reject(new Error(`collector exited at start:\n${err}`)));
  });
  return { child, url, stderr: () => err, exit };
}

/** The final counts a stopped collector prints. */
export function finalCounts(stderr: string): { delivered: number; persisted: number; dropped: number } {
  const m = /upstream: delivered (\d+), persisted (\d+), dropped (\d+)/.exec(stderr);
  if (!m) throw new Error(`no final line in:\n${stderr}`);
  return { delivered: Number(m[1]), persisted: Number(m[2]), dropped: Number(m[3]) };
}

/** Span ids in a store file. */
export async function storedSpanIds(path: string): Promise<Set<string>> {
  const store = await DuckDbStore.open(path);
  try {
    const rows = await store.query('SELECT span_id FROM inference_spans');
    return new Set(rows.map((r) => String(r.span_id)));
  } finally {
    await store.close();
  }
}

export function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
