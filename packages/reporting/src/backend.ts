/**
 * Where `costspan report` and `costspan reconcile` run their queries: on a store file opened here, or on a running
 * collector (`--collector URL`), which answers the same requests with the same code on a read connection of its
 * own store while it keeps ingesting. Requests are plain data; files named by flags are read on this side.
 */
import { createPriceBook, type PriceBook, type PriceOverrides } from '@costspan/pricing';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from './input-error.js';
import { openParquetStore } from './parquet-store.js';
import { computeReconcile, type ReconcileAnswer, type ReconcileRequest } from './reconcile-compute.js';
import { computeReport, type ReportRequest } from './report-compute.js';
import type { ReportData } from './report-data.js';
import { storeSource } from './report-source.js';
import { openStore, StoreError } from './store.js';
import { readNodeNames } from './store-read.js';
import { fromWire, toWire } from './wire.js';

/** The path of a collector's report endpoint (POST, JSON, the collector's bearer token). */
export const REPORT_ENDPOINT_PATH = '/v1/costspan/report';

export interface ReportBackend {
  nodeNames(): Promise<Set<string>>;
  report(
    request: ReportRequest,
    prices: PriceOverrides | undefined,
    step?: (done: number, total: number) => void,
  ): Promise<ReportData>;
  reconcile(request: ReconcileRequest): Promise<ReconcileAnswer>;
  close(): void;
}

/** A query sent to a collector. */
export type CollectorQuery =
  | { kind: 'node-names' }
  | { kind: 'report'; request: ReportRequest; prices?: PriceOverrides }
  | { kind: 'reconcile'; request: ReconcileRequest };

function priceBook(prices: PriceOverrides | undefined): PriceBook {
  try {
    return createPriceBook(prices === undefined ? {} : { overrides: prices });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The store file at `path`, read-only unless `write` (reconcile's adjustments), or with `parquet` the
 * hive-partitioned Parquet directory at `path` (read-only: reconcile there is a dry run).
 */
export async function fileBackend(
  path: string,
  options: { write?: boolean; prices?: string; parquet?: boolean } = {},
): Promise<ReportBackend> {
  if (options.parquet && options.write) {
    throw new InputError('a Parquet store is read-only: reconcile it with --dry-run, or reconcile a store file');
  }
  const store = options.parquet ? await openParquetStore(path) : await openStore(path, { write: options.write });
  return {
    nodeNames: () => readNodeNames(store.connection),
    async report(request, prices, step) {
      const book = request.whatIf
        ? options.prices
          ? priceBookFromFile(options.prices)
          : priceBook(prices)
        : undefined;
      const label = options.parquet ? `Parquet store ${path}` : `store ${path}`;
      return computeReport(await storeSource(store.connection), request, book, { label, step });
    },
    reconcile: (request) => computeReconcile(store.connection, request),
    close: () => store.close(),
  };
}

function priceBookFromFile(path: string): PriceBook {
  try {
    return createPriceBook({ overrides: path });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

/** A running collector at `url` (its base URL, e.g. http://127.0.0.1:4318). */
export function collectorBackend(url: string, token: string | undefined): ReportBackend {
  const endpoint = new URL(REPORT_ENDPOINT_PATH, url.endsWith('/') ? url : `${url}/`);
  async function ask<T>(query: CollectorQuery): Promise<T> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: toWire(query),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new StoreError(`cannot reach the collector at ${url}: ${cause}`);
    }
    const text = await response.text();
    if (response.status === 401)
      throw new StoreError(`the collector at ${url} refused the token (use --token or COSTSPAN_COLLECTOR_AUTH_TOKEN)`);
    if (response.status === 422) throw new InputError(text.trim());
    if (response.status !== 200) {
      throw new StoreError(`the collector at ${url} answered ${response.status}: ${text.trim().slice(0, 500)}`);
    }
    return fromWire<T>(text);
  }
  return {
    nodeNames: async () => new Set(await ask<string[]>({ kind: 'node-names' })),
    report: (request, prices) => ask<ReportData>({ kind: 'report', request, prices }),
    reconcile: (request) => ask<ReconcileAnswer>({ kind: 'reconcile', request }),
    close() {},
  };
}

/** A collector's answer: HTTP status and JSON body. */
export interface QueryAnswer {
  status: number;
  body: string;
}

/**
 * Answers one collector query (the body of a POST to REPORT_ENDPOINT_PATH) on `connection`, a connection of the
 * collector's own store. Bad requests and empty ranges answer 422 with the message; nothing throws.
 */
export async function answerCollectorQuery(connection: DuckDBConnection, body: string): Promise<QueryAnswer> {
  let query: CollectorQuery;
  try {
    query = fromWire<CollectorQuery>(body);
  } catch {
    return { status: 400, body: 'the body is not JSON\n' };
  }
  try {
    if (query?.kind === 'node-names') return ok([...(await readNodeNames(connection))]);
    if (query?.kind === 'report') {
      const book = query.request.whatIf ? priceBook(query.prices) : undefined;
      return ok(
        await computeReport(await storeSource(connection), query.request, book, { label: 'the collector store' }),
      );
    }
    if (query?.kind === 'reconcile') return ok(await computeReconcile(connection, query.request));
    return { status: 400, body: 'expected { kind: "report" | "reconcile" | "node-names", ... }\n' };
  } catch (error) {
    if (error instanceof InputError || error instanceof StoreError) return { status: 422, body: `${error.message}\n` };
    return { status: 500, body: `${error instanceof Error ? error.message : String(error)}\n` };
  }
}

function ok(value: unknown): QueryAnswer {
  return { status: 200, body: toWire(value) };
}
