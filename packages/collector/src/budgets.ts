import type { BudgetConfig } from '@costspan/config';
import { formatUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_BUDGET_NAME,
  ATTR_COSTSPAN_BUDGET_WINDOW,
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_TENANT,
  METRIC_COSTSPAN_BUDGET_SPEND,
  METRIC_COSTSPAN_BUDGET_SPEND_UNIT,
  METRIC_COSTSPAN_BUDGET_UTILIZATION,
  METRIC_COSTSPAN_BUDGET_UTILIZATION_UNIT,
} from '@costspan/semconv';
import type { Attributes, Meter } from '@opentelemetry/api';
import { type BudgetCrossing, BudgetWebhook } from './budget-webhook.js';
import type { FinalAllocation } from './gpu-stage-state.js';
import { LEDGER_WINDOWS, SpendLedger, type SpendScope, windowEnd, windowStart } from './spend-ledger.js';
import type { InferenceSpanRow } from './store/rows.js';

/** Span ids remembered to keep a batch the sender retried from counting twice. */
const SEEN_SPANS = 100_000;
/** Provisional GPU shares remembered until their final allocation replaces them. */
const PROVISIONAL_SPANS = 100_000;

/** One budget's state now. Money in exact decimal USD strings. */
export interface BudgetStatus {
  budget: string;
  tenant?: string;
  feature?: string;
  window: string;
  allowed: boolean;
  spent: string;
  limit: string;
  remaining: string;
  utilization: number;
  resetsAt: string;
}

/** The answer of the budget endpoint: the binding budget's figures, and every budget that applied. */
export interface BudgetCheck {
  allowed: boolean;
  /** Null when no budget applies (then nothing limits the call). */
  budget: string | null;
  spent: string | null;
  limit: string | null;
  remaining: string | null;
  resetsAt: string | null;
  budgets: BudgetStatus[];
}

/** The slice of the store the rebuild reads. */
export interface BudgetStoreReader {
  query(sql: string, values?: never[]): Promise<Record<string, unknown>[]>;
}

export interface BudgetsOptions {
  /** Tenants and features kept by name in the ledger (the `attribution.maxTenants` cap). Default 100. */
  maxTenants?: number;
  now?: () => number;
  log: (message: string) => void;
  webhook?: BudgetWebhook;
  /** Where the spend and utilization gauges are registered. */
  meter?: Meter;
}

interface CrossingState {
  windowStart: number;
  /** 0 nothing fired in this window, 1 soft fired, 2 limit fired. */
  fired: number;
}

/**
 * The collector's budgets: a spend ledger fed with the priced rows of every batch, thresholds checked after each
 * batch (soft fraction, then the limit; each fires once per window: a log line and the optional webhook), the
 * spend and utilization gauges, and the answer to `checkBudget`.
 */
export class Budgets {
  readonly ledger: SpendLedger;
  readonly #budgets: readonly BudgetConfig[];
  readonly #now: () => number;
  readonly #options: BudgetsOptions;
  readonly #crossings = new Map<string, CrossingState>();
  readonly #seen = new Set<string>();
  /** Finals handed out before their span's row was recorded (a window closed while its batch was processed). */
  readonly #early = new Map<string, bigint>();
  readonly #provisional = new Map<
    string,
    { nanos: bigint; tenant: string | null; feature: string | null; atMs: number }
  >();

  constructor(budgets: readonly BudgetConfig[], options: BudgetsOptions) {
    this.#budgets = budgets;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.ledger = new SpendLedger({
      ...(options.maxTenants === undefined ? {} : { maxTenants: options.maxTenants }),
      pinned: budgets.map(scopeOf),
      now: this.#now,
    });
    if (options.meter) this.#registerGauges(options.meter);
  }

  /** Counts a batch's priced rows (a row already counted is skipped) and fires the thresholds they cross. */
  record(rows: readonly InferenceSpanRow[]): void {
    let added = false;
    for (const row of rows) {
      if (row.costNanos === null) continue;
      const id = `${row.traceId}:${row.spanId}`;
      if (this.#seen.has(id)) continue;
      this.#seen.add(id);
      if (this.#seen.size > SEEN_SPANS) this.#seen.delete(this.#seen.values().next().value as string);
      const atMs = Math.min(Number(BigInt(row.endTimeUnixNano) / 1_000_000n), this.#now());
      this.ledger.add(BigInt(row.costNanos), row.tenant, row.feature, atMs);
      added = true;
      if (row.allocationFinal === false) {
        const nanos = BigInt((row.costGpuNanos ?? 0) + (row.costIdleNanos ?? 0) + (row.costOverheadNanos ?? 0));
        const final = this.#early.get(id);
        if (final !== undefined) {
          this.#early.delete(id);
          if (final !== nanos) this.ledger.add(final - nanos, row.tenant, row.feature, atMs);
          continue;
        }
        this.#provisional.set(id, { nanos, tenant: row.tenant, feature: row.feature, atMs });
        if (this.#provisional.size > PROVISIONAL_SPANS) {
          this.#provisional.delete(this.#provisional.keys().next().value as string);
        }
      }
    }
    if (added) this.checkThresholds();
  }

  /**
   * Replaces provisional GPU shares (streaming mode) by their final allocation, as the store does: the difference
   * is counted in the window the span was counted in (a window already past is left as it was).
   */
  finalize(finals: readonly FinalAllocation[]): void {
    let changed = false;
    for (const f of finals) {
      const id = `${f.traceId}:${f.spanId}`;
      const final = BigInt(f.gpuNanos + f.idleNanos + f.overheadNanos);
      const provisional = this.#provisional.get(id);
      if (!provisional) {
        if (!this.#seen.has(id)) {
          this.#early.set(id, final);
          if (this.#early.size > PROVISIONAL_SPANS) this.#early.delete(this.#early.keys().next().value as string);
        }
        continue;
      }
      this.#provisional.delete(id);
      const delta = final - provisional.nanos;
      if (delta === 0n) continue;
      this.ledger.add(delta, provisional.tenant, provisional.feature, provisional.atMs);
      changed = true;
    }
    if (changed) this.checkThresholds();
  }

  /**
   * Rebuilds the current hour, day and month from the store (a restart): exact sums taken by SQL over
   * `inference_spans`, by tenant and by feature, largest first so the tenant cap keeps the largest by name.
   * Crossings already passed are marked fired, not fired again.
   */
  async rebuild(store: BudgetStoreReader): Promise<void> {
    const now = this.#now();
    const starts = LEDGER_WINDOWS.map((w) => windowStart(w, now));
    const micros = starts.map((s) => BigInt(s) * 1000n);
    const sums = `sum(cost_nanos) FILTER (WHERE end_time >= make_timestamp($1::BIGINT)) AS hour_nanos,
        sum(cost_nanos) FILTER (WHERE end_time >= make_timestamp($2::BIGINT)) AS day_nanos,
        sum(cost_nanos) AS month_nanos`;
    const rows = await store.query(
      `SELECT tenant, feature, GROUPING(tenant) AS no_tenant, GROUPING(feature) AS no_feature, ${sums}
       FROM inference_spans
       WHERE cost_nanos IS NOT NULL AND end_time >= make_timestamp($3::BIGINT)
       GROUP BY GROUPING SETS ((), (tenant), (feature))
       ORDER BY month_nanos DESC, tenant, feature`,
      micros as never[],
    );
    const pairs = this.#budgets.filter((b) => b.tenant !== undefined && b.feature !== undefined);
    if (pairs.length > 0) {
      const keys = pairs.map((b) => `${b.tenant}\u0000${b.feature}`);
      rows.push(
        ...(await store.query(
          `SELECT tenant, feature, 0 AS no_tenant, 0 AS no_feature, ${sums}
           FROM inference_spans
           WHERE cost_nanos IS NOT NULL AND end_time >= make_timestamp($3::BIGINT)
             AND tenant || chr(0) || feature IN (${keys.map((_, i) => `$${i + 4}`).join(', ')})
           GROUP BY tenant, feature`,
          [...micros, ...keys] as never[],
        )),
      );
    }
    for (const row of rows) {
      const scope: SpendScope = {};
      if (Number(row.no_tenant) === 0) {
        if (row.tenant === null) continue;
        scope.tenant = String(row.tenant);
      }
      if (Number(row.no_feature) === 0) {
        if (row.feature === null) continue;
        scope.feature = String(row.feature);
      }
      const values = [row.hour_nanos, row.day_nanos, row.month_nanos];
      LEDGER_WINDOWS.forEach((window, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) this.ledger.load(scope, window, starts[i]!, BigInt(String(v)));
      });
    }
    this.checkThresholds(false);
  }

  /** Waits for webhook POSTs in flight (shutdown). */
  async close(): Promise<void> {
    await this.#options.webhook?.drain();
  }

  /** Fires the crossings the current spend has reached (once per budget, threshold and window). */
  checkThresholds(fire = true): void {
    const now = this.#now();
    for (const budget of this.#budgets) {
      const start = windowStart(budget.window, now);
      let state = this.#crossings.get(budget.name);
      if (!state || state.windowStart !== start) {
        state = { windowStart: start, fired: 0 };
        this.#crossings.set(budget.name, state);
      }
      if (state.fired === 2) continue;
      const spent = this.ledger.spent(scopeOf(budget), budget.window, now);
      const level = spent >= budget.limitNanos ? 2 : budget.soft !== undefined && reachedSoft(spent, budget) ? 1 : 0;
      if (level <= state.fired) continue;
      state.fired = level;
      if (fire) this.#fire(budget, level === 2 ? 'limit' : 'soft', spent, start);
    }
  }

  /** The budgets that apply to a call for `tenant` / `feature`, and whether it may go ahead. */
  check(tenant?: string, feature?: string): BudgetCheck {
    const now = this.#now();
    const applying = this.#budgets.filter(
      (b) => (b.tenant === undefined || b.tenant === tenant) && (b.feature === undefined || b.feature === feature),
    );
    const statuses = applying.map((b) => ({ b, spent: this.ledger.spent(scopeOf(b), b.window, now) }));
    if (statuses.length === 0) {
      return { allowed: true, budget: null, spent: null, limit: null, remaining: null, resetsAt: null, budgets: [] };
    }
    // The binding budget: a reached one if any, else the one with the least left.
    const remainingOf = (s: { b: BudgetConfig; spent: bigint }) => s.b.limitNanos - s.spent;
    const binding = statuses.reduce((best, s) => (remainingOf(s) < remainingOf(best) ? s : best));
    const budgets = statuses.map((s) => this.#status(s.b, s.spent, now));
    const top = budgets[statuses.indexOf(binding)]!;
    return {
      allowed: budgets.every((s) => s.allowed),
      budget: top.budget,
      spent: top.spent,
      limit: top.limit,
      remaining: top.remaining,
      resetsAt: top.resetsAt,
      budgets,
    };
  }

  #status(budget: BudgetConfig, spent: bigint, now: number): BudgetStatus {
    const remaining = budget.limitNanos - spent;
    return {
      budget: budget.name,
      ...(budget.tenant === undefined ? {} : { tenant: budget.tenant }),
      ...(budget.feature === undefined ? {} : { feature: budget.feature }),
      window: budget.window,
      allowed: spent < budget.limitNanos,
      spent: formatUsd(spent, 0),
      limit: formatUsd(budget.limitNanos, 0),
      remaining: formatUsd(remaining > 0n ? remaining : 0n, 0),
      utilization: utilization(spent, budget.limitNanos),
      resetsAt: new Date(windowEnd(budget.window, windowStart(budget.window, now))).toISOString(),
    };
  }

  #fire(budget: BudgetConfig, threshold: 'soft' | 'limit', spent: bigint, start: number): void {
    const crossing: BudgetCrossing = {
      budget: budget.name,
      ...(budget.tenant === undefined ? {} : { tenant: budget.tenant }),
      ...(budget.feature === undefined ? {} : { feature: budget.feature }),
      window: budget.window,
      threshold,
      spent: formatUsd(spent, 0),
      limit: formatUsd(budget.limitNanos, 0),
      utilization: utilization(spent, budget.limitNanos),
      windowStart: new Date(start).toISOString(),
      resetsAt: new Date(windowEnd(budget.window, start)).toISOString(),
    };
    const scope = [
      budget.tenant === undefined ? undefined : `tenant ${budget.tenant}`,
      budget.feature === undefined ? undefined : `feature ${budget.feature}`,
    ]
      .filter(Boolean)
      .join(', ');
    const what =
      threshold === 'limit' ? 'limit reached' : `soft threshold ${Math.round((budget.soft ?? 0) * 100)}% crossed`;
    this.#options.log(
      `budget '${budget.name}' (${scope || 'all spend'}, ${budget.window} from ${crossing.windowStart}): ${what}: ` +
        `$${crossing.spent} of $${crossing.limit} (${(crossing.utilization * 100).toFixed(1)}%), resets ${crossing.resetsAt}`,
    );
    this.#options.webhook?.post(crossing);
  }

  #registerGauges(meter: Meter): void {
    const attributes = (b: BudgetConfig): Attributes => ({
      [ATTR_COSTSPAN_BUDGET_NAME]: b.name,
      [ATTR_COSTSPAN_BUDGET_WINDOW]: b.window,
      ...(b.tenant === undefined ? {} : { [ATTR_COSTSPAN_TENANT]: b.tenant }),
      ...(b.feature === undefined ? {} : { [ATTR_COSTSPAN_FEATURE]: b.feature }),
    });
    meter
      .createObservableGauge(METRIC_COSTSPAN_BUDGET_SPEND, { unit: METRIC_COSTSPAN_BUDGET_SPEND_UNIT })
      .addCallback((result) => {
        const now = this.#now();
        for (const b of this.#budgets) {
          result.observe(Number(formatUsd(this.ledger.spent(scopeOf(b), b.window, now), 0)), attributes(b));
        }
      });
    meter
      .createObservableGauge(METRIC_COSTSPAN_BUDGET_UTILIZATION, { unit: METRIC_COSTSPAN_BUDGET_UTILIZATION_UNIT })
      .addCallback((result) => {
        const now = this.#now();
        for (const b of this.#budgets) {
          result.observe(utilization(this.ledger.spent(scopeOf(b), b.window, now), b.limitNanos), attributes(b));
        }
      });
  }
}

function scopeOf(budget: BudgetConfig): SpendScope {
  return {
    ...(budget.tenant === undefined ? {} : { tenant: budget.tenant }),
    ...(budget.feature === undefined ? {} : { feature: budget.feature }),
  };
}

/** spent ≥ soft × limit, exactly (the fraction is taken to a millionth). */
function reachedSoft(spent: bigint, budget: BudgetConfig): boolean {
  const parts = BigInt(Math.round((budget.soft ?? 1) * 1_000_000));
  return spent * 1_000_000n >= budget.limitNanos * parts;
}

function utilization(spent: bigint, limit: bigint): number {
  return Number((spent * 1_000_000n) / limit) / 1_000_000;
}

export interface OpenBudgetsOptions {
  store?: BudgetStoreReader;
  meter?: Meter;
  log: (message: string) => void;
  now?: () => number;
}

/**
 * The collector's budgets from its configuration, rebuilt from the store when there is one; undefined when no
 * budget is configured. The ledger's tenant cap is the shared `attribution.maxTenants` (default 100).
 */
export async function openBudgets(
  config: { budgets?: readonly BudgetConfig[]; budgetWebhook?: string; attribution?: unknown },
  options: OpenBudgetsOptions,
): Promise<Budgets | undefined> {
  if (!config.budgets || config.budgets.length === 0) return undefined;
  const attribution = config.attribution as { maxTenants?: unknown } | undefined;
  const maxTenants = typeof attribution?.maxTenants === 'number' ? attribution.maxTenants : undefined;
  const budgets = new Budgets(config.budgets, {
    log: options.log,
    ...(maxTenants === undefined ? {} : { maxTenants }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.meter === undefined ? {} : { meter: options.meter }),
    ...(config.budgetWebhook === undefined
      ? {}
      : { webhook: new BudgetWebhook({ url: config.budgetWebhook, log: options.log }) }),
  });
  if (options.store) {
    try {
      await budgets.rebuild(options.store);
    } catch (error) {
      // The collector still starts: spend counts from now on, and the log says the windows so far are missing.
      options.log(
        `budgets: the spend of the current hour, day and month could not be read from the store (${error instanceof Error ? error.message : String(error)}); counting from now`,
      );
    }
  }
  return budgets;
}
