import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Budgets } from './budgets.js';

/** Path of the budget endpoint (behind the receiver's bearer token, like every other path but /health). */
export const BUDGET_PATH = '/v1/costspan/budget';
const MAX_BODY = 4096;

/**
 * `GET /v1/costspan/budget?tenant=…&feature=…`, or `POST` with a JSON body `{ "tenant": …, "feature": … }`:
 * answers with the budgets that apply and whether a call may go ahead (see BudgetCheck). Without budgets
 * configured every call is allowed.
 */
export function handleBudgetRequest(
  budgets: Budgets | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const answer = (tenant: unknown, feature: unknown) => {
    if (
      (tenant !== undefined && typeof tenant !== 'string') ||
      (feature !== undefined && typeof feature !== 'string')
    ) {
      reply(400, { error: 'tenant and feature must be strings' });
      return;
    }
    reply(
      200,
      budgets?.check(tenant || undefined, feature || undefined) ?? {
        allowed: true,
        budget: null,
        spent: null,
        limit: null,
        remaining: null,
        resetsAt: null,
        budgets: [],
      },
    );
  };
  if (request.method === 'GET') {
    request.resume();
    const query = new URL(request.url ?? '/', 'http://collector').searchParams;
    answer(query.get('tenant') ?? undefined, query.get('feature') ?? undefined);
    return;
  }
  if (request.method !== 'POST') {
    request.resume();
    response.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  request.on('error', () => response.destroy());
  request.on('end', () => {
    if (size > MAX_BODY) {
      reply(413, { error: `body over ${MAX_BODY} bytes` });
      return;
    }
    let body: unknown;
    try {
      body = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      reply(400, { error: 'body is not JSON' });
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      reply(400, { error: 'expected a JSON object { tenant?, feature? }' });
      return;
    }
    const { tenant, feature } = body as Record<string, unknown>;
    answer(tenant, feature);
  });
}
