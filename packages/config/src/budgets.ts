/**
 * The `budgets` section of the shared configuration (COSTSPAN_CONFIG and the collector's file):
 * `budgets: [{ name, tenant?, feature?, window: hour|day|month, limit: <USD>, soft? }]`.
 */
import type { ConfigProblem } from './problem.js';

/** The calendar windows a budget can apply to, in UTC. */
export const BUDGET_WINDOWS = ['hour', 'day', 'month'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

/** One validated budget. The limit is exact, in integer nano-dollars. */
export interface BudgetConfig {
  name: string;
  /** Only this tenant's spend counts; absent: every tenant. */
  tenant?: string;
  /** Only this feature's spend counts; absent: every feature. */
  feature?: string;
  window: BudgetWindow;
  limitNanos: bigint;
  /** Fraction of the limit (0 < soft < 1) at which a warning fires, before the limit itself. */
  soft?: number;
}

const BUDGET_KEYS = ['name', 'tenant', 'feature', 'window', 'limit', 'soft'];

/**
 * Validates `budgets` found at `path`. Every problem is pushed onto `problems` with its path (`budgets[1].limit`);
 * the budgets without problems are returned.
 */
export function parseBudgets(value: unknown, path: string, problems: ConfigProblem[]): BudgetConfig[] {
  const fail = (at: string, message: string) => problems.push({ path: at, message });
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail(path, 'expected a list of budgets ({ name, tenant?, feature?, window, limit, soft? })');
    return [];
  }
  const out: BudgetConfig[] = [];
  const names = new Set<string>();
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      fail(at, 'expected a mapping with name, window and limit');
      return;
    }
    const entry = item as Record<string, unknown>;
    let ok = true;
    const bad = (key: string, message: string) => {
      ok = false;
      fail(`${at}.${key}`, message);
    };
    for (const key of Object.keys(entry)) {
      if (!BUDGET_KEYS.includes(key)) bad(key, `unknown key (expected one of: ${BUDGET_KEYS.join(', ')})`);
    }
    const name = entry.name;
    if (typeof name !== 'string' || name.trim() === '') bad('name', 'expected a non-empty string');
    else if (names.has(name)) bad('name', `duplicate budget name '${name}'`);
    else names.add(name);
    for (const key of ['tenant', 'feature'] as const) {
      const v = entry[key];
      if (v !== undefined && (typeof v !== 'string' || v === '')) bad(key, 'expected a non-empty string');
    }
    const window = entry.window;
    if (!(BUDGET_WINDOWS as readonly unknown[]).includes(window)) {
      bad('window', `expected one of ${BUDGET_WINDOWS.join(', ')}, got ${JSON.stringify(window)}`);
    }
    const limitNanos = usdToNanos(entry.limit);
    if (limitNanos === undefined || limitNanos <= 0n) {
      bad('limit', `expected a positive amount in USD with at most 9 decimals, got ${JSON.stringify(entry.limit)}`);
    }
    const soft = entry.soft;
    if (soft !== undefined && (typeof soft !== 'number' || !(soft > 0 && soft < 1))) {
      bad('soft', `expected a fraction of the limit between 0 and 1 (0.8 = 80 %), got ${JSON.stringify(soft)}`);
    }
    if (!ok) return;
    out.push({
      name: name as string,
      ...(entry.tenant === undefined ? {} : { tenant: entry.tenant as string }),
      ...(entry.feature === undefined ? {} : { feature: entry.feature as string }),
      window: window as BudgetWindow,
      limitNanos: limitNanos as bigint,
      ...(soft === undefined ? {} : { soft: soft as number }),
    });
  });
  return out;
}

/** A USD amount (number or decimal string, at most nine decimals) as exact nano-dollars; undefined when invalid. */
function usdToNanos(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return undefined;
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!match) return undefined;
  return BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
