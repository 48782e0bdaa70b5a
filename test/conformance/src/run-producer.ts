import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedSpan {
  name: string;
  scope: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTime: [number, number];
  endTime: [number, number];
  /** After the in-process CostSpanProcessor. */
  attributes: Record<string, unknown>;
  /** As the producer wrote them, before pricing. */
  raw: Record<string, unknown>;
}

export interface ProducerRun {
  producer: string;
  package: string;
  version: string;
  node: string;
  results: Array<{ id: string; error?: string; spans: RecordedSpan[] }>;
  unpriced: Array<{ attributes: Record<string, unknown>; value: number }>;
}

const CHILD = join(import.meta.dirname, 'child.mjs');

/**
 * Runs one producer's calls in a child process of its own (instrumentations patch modules for the life of a
 * process, and two of them on one client is a case of its own), bounded in time.
 */
export function runProducer(id: string): Promise<ProducerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'costspan-conformance-'));
  const out = join(dir, 'run.json');
  return new Promise<ProducerRun>((resolve, reject) => {
    execFile(
      process.execPath,
      [CHILD, id],
      { env: { ...process.env, CONFORMANCE_OUT: out }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        try {
          if (error) throw new Error(`producer '${id}' failed: ${error.message}\n${stderr}`);
          resolve(JSON.parse(readFileSync(out, 'utf8')) as ProducerRun);
        } catch (e) {
          reject(e);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

/** Runs the producers at most `limit` at a time, in the given order. */
export async function runProducers(ids: string[], limit: number): Promise<Map<string, ProducerRun>> {
  const runs = new Map<string, ProducerRun>();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) runs.set(id, await runProducer(id));
  };
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker));
  return runs;
}
