/**
 * `checkBudget`: asks the costspan collector, before a model call, whether the budgets that apply to a tenant /
 * feature still allow it. Cached briefly, bounded by a timeout, and failing open by default: a collector that is
 * down or unreachable never blocks the app (the answer is `allowed: true, stale: true`, with one warning).
 */
import { warnOnce } from './log.js';
import { otlpTarget } from './otel-env.js';

export interface CheckBudgetOptions {
  tenant?: string;
  feature?: string;
  /**
   * The collector's base URL. Default: COSTSPAN_COLLECTOR_URL, else the OTLP traces endpoint the app exports to
   * (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT, without `/v1/traces`), else
   * http://localhost:4318.
   */
  collector?: URL;
  /** Deny (`allowed: false`) when the collector cannot answer. Default: COSTSPAN_BUDGET_FAIL_CLOSED=true, else false. */
  failClosed?: boolean;
  /** How long an answer is reused, ms. Default: COSTSPAN_BUDGET_CACHE_MS, else 1000. 0 asks every time. */
  cacheMs?: number;
  /** How long to wait for the collector, ms. Default 1000. */
  timeoutMs?: number;
}

/** The answer. Money in USD; with no budget applying, `limit` and `remaining` are Infinity. */
export interface BudgetDecision {
  allowed: boolean;
  spent: number;
  limit: number;
  remaining: number;
  /** ISO 8601 UTC instant the binding budget's window ends; '' when unknown or no budget applies. */
  resetsAt: string;
  /** True when the collector could not answer and this is the fail-open (or fail-closed) default. */
  stale: boolean;
}

const BUDGET_PATH = 'v1/costspan/budget';
const DEFAULT_CACHE_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 1_000;
/** Distinct tenant/feature answers kept; the oldest is dropped past it. */
const MAX_CACHED = 10_000;

interface Cached {
  at: number;
  value: BudgetDecision;
}

const cache = new Map<string, Cached>();
const inFlight = new Map<string, Promise<BudgetDecision>>();

/**
 * Whether a call for `tenant` / `feature` is within its budgets, from the collector's live spend ledger
 * (`GET /v1/costspan/budget`). Never throws and never waits longer than `timeoutMs`.
 */
export async function checkBudget(options: CheckBudgetOptions = {}): Promise<BudgetDecision> {
  const key = `${options.collector?.href ?? ''}\u0000${options.tenant ?? ''}\u0000${options.feature ?? ''}\u0000${options.failClosed ?? ''}`;
  const ttl = options.cacheMs ?? envCacheMs();
  const hit = cache.get(key);
  if (hit !== undefined && Date.now() - hit.at < ttl) return hit.value;
  let pending = inFlight.get(key);
  if (pending === undefined) {
    pending = ask(options).then((value) => {
      if (ttl > 0) {
        cache.delete(key);
        cache.set(key, { at: Date.now(), value });
        if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
      }
      return value;
    });
    const settle = () => inFlight.delete(key);
    void pending.then(settle, settle);
    inFlight.set(key, pending);
  }
  return pending;
}

/** Forgets cached answers (tests, or after changing budgets). */
export function clearBudgetCache(): void {
  cache.clear();
}

async function ask(options: CheckBudgetOptions): Promise<BudgetDecision> {
  let url: URL | undefined;
  try {
    const { base, authorization } = target(options.collector);
    url = new URL(BUDGET_PATH, base);
    if (options.tenant !== undefined) url.searchParams.set('tenant', options.tenant);
    if (options.feature !== undefined) url.searchParams.set('feature', options.feature);
    const response = await fetch(url, {
      headers: authorization === undefined ? {} : { authorization },
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      const hint = response.status === 401 ? ' (set COSTSPAN_COLLECTOR_AUTH_TOKEN to the collector auth_token)' : '';
      return unanswered(options, url, `HTTP ${response.status}${hint}`);
    }
    const body = (await response.json()) as Record<string, unknown>;
    const limit = body.limit === null || body.limit === undefined ? Number.POSITIVE_INFINITY : Number(body.limit);
    const remaining =
      body.remaining === null || body.remaining === undefined ? Number.POSITIVE_INFINITY : Number(body.remaining);
    return {
      allowed: body.allowed !== false,
      spent: body.spent === null || body.spent === undefined ? 0 : Number(body.spent),
      limit,
      remaining,
      resetsAt: typeof body.resetsAt === 'string' ? body.resetsAt : '',
      stale: false,
    };
  } catch (error) {
    const reason =
      error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : causeOf(error)) : String(error);
    return unanswered(options, url, reason);
  }
}

function unanswered(options: CheckBudgetOptions, url: URL | undefined, reason: string): BudgetDecision {
  const failClosed = options.failClosed ?? /^(1|true|yes)$/i.test(process.env.COSTSPAN_BUDGET_FAIL_CLOSED ?? '');
  warnOnce(
    `checkBudget:${url?.origin}:${reason}:${failClosed}`,
    `checkBudget: the collector at ${url?.origin ?? '(no URL)'} did not answer (${reason}); calls are ` +
      `${failClosed ? 'denied (fail-closed)' : 'allowed (fail-open)'} until it does`,
  );
  return {
    allowed: !failClosed,
    spent: 0,
    limit: Number.POSITIVE_INFINITY,
    remaining: Number.POSITIVE_INFINITY,
    resetsAt: '',
    stale: true,
  };
}

function target(collector: URL | undefined): { base: string; authorization?: string } {
  const env = process.env;
  const traces = otlpTarget(env, 'traces', warnOnce);
  const fromEnv = env.COSTSPAN_COLLECTOR_URL;
  const base = collector?.href ?? fromEnv ?? traces.url.replace(/v1\/traces\/?$/, '');
  const token = env.COSTSPAN_COLLECTOR_AUTH_TOKEN;
  const header = Object.entries(traces.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const authorization = token !== undefined && token !== '' ? `Bearer ${token}` : header;
  return { base: base.endsWith('/') ? base : `${base}/`, ...(authorization === undefined ? {} : { authorization }) };
}

function envCacheMs(): number {
  const raw = process.env.COSTSPAN_BUDGET_CACHE_MS;
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_CACHE_MS;
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
