/**
 * The collector's report endpoint (POST /v1/costspan/report): answers report and reconcile queries on a read
 * connection of its own store while ingestion goes on. The collector does not know reports; whoever starts it
 * (the `costspan collector` command) hands it the answering function from @costspan/reporting.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HttpError, RPC_INVALID_ARGUMENT, RPC_UNIMPLEMENTED, readBody, sendError } from './receiver.js';
import type { DuckDbStore } from './store/duckdb-store.js';

export const REPORT_QUERY_PATH = '/v1/costspan/report';

/** Answers one query body on a connection of the store: an HTTP status and a JSON body. Never throws. */
export type ReportQueryAnswerer = (
  connection: DuckDBConnection,
  body: string,
) => Promise<{ status: number; body: string }>;

export async function handleReportQuery(
  request: IncomingMessage,
  response: ServerResponse,
  store: DuckDbStore | undefined,
  answer: ReportQueryAnswerer | undefined,
  maxBodyBytes: number,
): Promise<void> {
  try {
    if (request.method !== 'POST') {
      request.resume();
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!store || !answer) {
      request.resume();
      const why = store ? 'this collector answers no report queries' : 'this collector has no store (--store FILE)';
      throw new HttpError(404, RPC_UNIMPLEMENTED, why);
    }
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      request.resume();
      throw new HttpError(415, RPC_INVALID_ARGUMENT, 'report queries are application/json');
    }
    const body = (await readBody(request, maxBodyBytes)).toString('utf8');
    const result = await store.withReader((connection) => answer(connection, body));
    response.writeHead(result.status, {
      'content-type': result.status === 200 ? 'application/json' : 'text/plain; charset=utf-8',
    });
    response.end(result.body);
  } catch (error) {
    sendError(
      response,
      'json',
      error instanceof Error && error.message === 'the store is closed'
        ? new HttpError(503, 14, 'the collector is shutting down', 5)
        : error,
    );
  }
}
