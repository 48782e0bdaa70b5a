import type { BudgetWindow } from '@costspan/config';
import { TenantCap } from '@costspan/core';

/** The windows the ledger keeps, in a fixed order (index into a bucket's arrays). */
export const LEDGER_WINDOWS: readonly BudgetWindow[] = ['hour', 'day', 'month'];

/** Start (ms since the epoch, inclusive) of the UTC calendar window holding `ms`. */
export function windowStart(window: BudgetWindow, ms: number): number {
  const d = new Date(ms);
  if (window === 'hour') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
  if (window === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** End (exclusive) of the UTC window starting at `start`. */
export function windowEnd(window: BudgetWindow, start: number): number {
  if (window === 'hour') return start + 3_600_000;
  if (window === 'day') return start + 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Which spend a ledger line counts: every span (`{}`), one tenant, one feature, or one tenant's feature. */
export interface SpendScope {
  tenant?: string;
  feature?: string;
}

/** The ledger's key of a scope. */
export function scopeKey(scope: SpendScope): string {
  if (scope.tenant !== undefined && scope.feature !== undefined) return `tf\u0000${scope.tenant}\u0000${scope.feature}`;
  if (scope.tenant !== undefined) return `t\u0000${scope.tenant}`;
  if (scope.feature !== undefined) return `f\u0000${scope.feature}`;
  return '*';
}

interface Bucket {
  /** Window start per LEDGER_WINDOWS index. */
  starts: number[];
  /** Exact spend in that window, nano-dollars. */
  nanos: bigint[];
}

export interface SpendLedgerOptions {
  /** Tenants (and, separately, features) kept under their own name; later ones are summed as `other`. */
  maxTenants?: number;
  /** Scopes always kept under their own name (those budgets name), whatever the cap. */
  pinned?: readonly SpendScope[];
  /** The wall clock, ms (tests pass a fixed one). */
  now?: () => number;
}

/**
 * Spend per scope over the current UTC hour, day and month, in exact integer nano-dollars. A span counts in the
 * windows of its end time (clamped to the clock, so a sender's clock running ahead cannot move a window forward);
 * a span that ends in a window older than the one a scope already holds no longer changes the current figure.
 * Memory is bounded: one line for all spend, one per tenant and per feature up to `maxTenants` each (the rest
 * summed as `other`, as the in-process metrics do), and one per pinned tenant/feature pair.
 */
export class SpendLedger {
  readonly #buckets = new Map<string, Bucket>();
  readonly #tenants: TenantCap;
  readonly #features: TenantCap;
  readonly #pinnedTenants: Set<string>;
  readonly #pinnedFeatures: Set<string>;
  readonly #pinnedPairs: Set<string>;
  readonly #now: () => number;

  constructor(options: SpendLedgerOptions = {}) {
    const max = options.maxTenants ?? 100;
    this.#tenants = new TenantCap(max);
    this.#features = new TenantCap(max);
    const pinned = options.pinned ?? [];
    this.#pinnedTenants = new Set(pinned.filter((s) => s.feature === undefined && s.tenant).map((s) => s.tenant!));
    this.#pinnedFeatures = new Set(pinned.filter((s) => s.tenant === undefined && s.feature).map((s) => s.feature!));
    this.#pinnedPairs = new Set(
      pinned.filter((s) => s.tenant !== undefined && s.feature !== undefined).map((s) => scopeKey(s)),
    );
    this.#now = options.now ?? Date.now;
  }

  /** Counts one priced span. `endMs`: its end time, ms since the epoch. */
  add(costNanos: bigint, tenant: string | null | undefined, feature: string | null | undefined, endMs: number): void {
    const at = Math.min(endMs, this.#now());
    const starts = LEDGER_WINDOWS.map((w) => windowStart(w, at));
    this.#addTo('*', starts, costNanos);
    if (tenant) this.#addTo(scopeKey({ tenant: this.#tenantName(tenant) }), starts, costNanos);
    if (feature) this.#addTo(scopeKey({ feature: this.#featureName(feature) }), starts, costNanos);
    if (tenant && feature) {
      const pair = scopeKey({ tenant, feature });
      if (this.#pinnedPairs.has(pair)) this.#addTo(pair, starts, costNanos);
    }
  }

  /**
   * Adds a sum already taken over one window (the restart rebuild from the store). Tenants and features go
   * through the same cap as live spans, so feeding the largest first keeps the largest under their own name.
   */
  load(scope: SpendScope, window: BudgetWindow, start: number, nanos: bigint): void {
    const mapped: SpendScope =
      scope.tenant !== undefined && scope.feature !== undefined
        ? scope
        : scope.tenant !== undefined
          ? { tenant: this.#tenantName(scope.tenant) }
          : scope.feature !== undefined
            ? { feature: this.#featureName(scope.feature) }
            : {};
    const key = scopeKey(mapped);
    if (mapped.tenant !== undefined && mapped.feature !== undefined && !this.#pinnedPairs.has(key)) return;
    const i = LEDGER_WINDOWS.indexOf(window);
    const bucket = this.#bucket(key);
    if (start > bucket.starts[i]!) {
      bucket.starts[i] = start;
      bucket.nanos[i] = nanos;
    } else if (start === bucket.starts[i]) bucket.nanos[i]! += nanos;
  }

  /** Spend of `scope` in the current `window` (by the clock), nano-dollars. */
  spent(scope: SpendScope, window: BudgetWindow, nowMs: number = this.#now()): bigint {
    const bucket = this.#buckets.get(scopeKey(scope));
    if (!bucket) return 0n;
    const i = LEDGER_WINDOWS.indexOf(window);
    return bucket.starts[i] === windowStart(window, nowMs) ? bucket.nanos[i]! : 0n;
  }

  /** Number of scopes held (for the memory bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #tenantName(tenant: string): string {
    return this.#pinnedTenants.has(tenant) ? tenant : this.#tenants.map(tenant);
  }

  #featureName(feature: string): string {
    return this.#pinnedFeatures.has(feature) ? feature : this.#features.map(feature);
  }

  #bucket(key: string): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { starts: LEDGER_WINDOWS.map(() => Number.NEGATIVE_INFINITY), nanos: LEDGER_WINDOWS.map(() => 0n) };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #addTo(key: string, starts: readonly number[], nanos: bigint): void {
    const bucket = this.#bucket(key);
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      if (start > bucket.starts[i]!) {
        bucket.starts[i] = start;
        bucket.nanos[i] = nanos;
      } else if (start === bucket.starts[i]) bucket.nanos[i]! += nanos;
    }
  }
}
