import { describe, expect, it } from 'vitest';
import { SpendLedger, windowEnd, windowStart } from './spend-ledger.js';

const at = (iso: string) => Date.parse(iso);

describe('UTC windows', () => {
  it('starts and ends hours, days and calendar months in UTC', () => {
    const t = at('2026-02-28T23:59:59.999Z');
    expect(new Date(windowStart('hour', t)).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(windowStart('day', t)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(windowStart('month', t)).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(new Date(windowEnd('month', windowStart('month', t))).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(windowEnd('month', at('2026-12-01T00:00:00Z'))).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('SpendLedger', () => {
  it('sums exact nano-dollars per tenant, feature and overall, per window', () => {
    let now = at('2026-03-10T10:30:00Z');
    const ledger = new SpendLedger({ now: () => now });
    ledger.add(1_000_000_001n, 'acme', 'chat', at('2026-03-10T10:10:00Z'));
    ledger.add(2n, 'acme', 'search', at('2026-03-10T09:59:59Z'));
    ledger.add(7n, 'globex', 'chat', at('2026-03-09T23:00:00Z'));
    ledger.add(5n, null, null, at('2026-03-10T10:20:00Z'));
    // 9 007 199 254 740 993 nanos: past 2^53, still exact
    ledger.add(9_007_199_254_740_000n, 'big', 'chat', at('2026-03-10T10:00:00Z'));
    ledger.add(993n, 'big', 'chat', at('2026-03-10T10:00:01Z'));
    expect(ledger.spent({ tenant: 'big' }, 'hour')).toBe(9_007_199_254_740_993n);
    // An older hour arriving after the current one no longer changes the hour, but does count in the day.
    expect(ledger.spent({ tenant: 'acme' }, 'hour')).toBe(1_000_000_001n);
    expect(ledger.spent({ tenant: 'acme' }, 'day')).toBe(1_000_000_003n);
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(1_000_000_003n);
    expect(ledger.spent({ feature: 'chat' }, 'day')).toBe(1_000_000_001n + 9_007_199_254_740_993n);
    expect(ledger.spent({ feature: 'chat' }, 'month')).toBe(1_000_000_008n + 9_007_199_254_740_993n);
    expect(ledger.spent({}, 'month')).toBe(1_000_000_015n + 9_007_199_254_740_993n);
    // The clock moves to the next hour: no span yet in it, so the hour reads zero.
    now = at('2026-03-10T11:00:00Z');
    expect(ledger.spent({ tenant: 'acme' }, 'hour')).toBe(0n);
    expect(ledger.spent({ tenant: 'acme' }, 'day')).toBe(1_000_000_003n);
  });

  it('rolls over at the end of the month in UTC', () => {
    let now = at('2026-01-31T23:59:59.000Z');
    const ledger = new SpendLedger({ now: () => now });
    ledger.add(400n, 'acme', 'chat', at('2026-01-31T23:59:58.500Z'));
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(400n);
    now = at('2026-02-01T00:00:00.250Z');
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(0n);
    ledger.add(30n, 'acme', 'chat', at('2026-02-01T00:00:00.100Z'));
    // A January span reported late does not reopen January.
    ledger.add(1_000n, 'acme', 'chat', at('2026-01-31T23:59:59.900Z'));
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(30n);
    expect(ledger.spent({ tenant: 'acme' }, 'day')).toBe(30n);
    expect(ledger.spent({ tenant: 'acme' }, 'hour')).toBe(30n);
  });

  it('counts a span from a clock running ahead in the current window', () => {
    const now = at('2026-05-31T23:59:00Z');
    const ledger = new SpendLedger({ now: () => now });
    ledger.add(10n, 'acme', undefined, at('2026-06-01T00:05:00Z'));
    ledger.add(1n, 'acme', undefined, at('2026-05-31T23:58:00Z'));
    expect(ledger.spent({ tenant: 'acme' }, 'month')).toBe(11n);
  });

  it('keeps tenants by name up to the cap, sums the rest as other, and always keeps pinned ones', () => {
    const now = at('2026-03-10T10:30:00Z');
    const ledger = new SpendLedger({ now: () => now, maxTenants: 2, pinned: [{ tenant: 'vip' }] });
    for (const tenant of ['a', 'b', 'c', 'd', 'vip']) ledger.add(10n, tenant, 'chat', now);
    expect(ledger.spent({ tenant: 'a' }, 'day')).toBe(10n);
    expect(ledger.spent({ tenant: 'b' }, 'day')).toBe(10n);
    expect(ledger.spent({ tenant: 'c' }, 'day')).toBe(0n);
    expect(ledger.spent({ tenant: 'other' }, 'day')).toBe(20n);
    expect(ledger.spent({ tenant: 'vip' }, 'day')).toBe(10n);
    for (let i = 0; i < 1_000; i++) ledger.add(1n, `t${i}`, `f${i}`, now);
    // overall, 2 + other + vip tenants, 2 + other features
    expect(ledger.size).toBe(1 + 4 + 3);
  });

  it('keeps a tenant-and-feature line only for pinned pairs', () => {
    const now = at('2026-03-10T10:30:00Z');
    const ledger = new SpendLedger({ now: () => now, pinned: [{ tenant: 'acme', feature: 'chat' }] });
    ledger.add(3n, 'acme', 'chat', now);
    ledger.add(4n, 'acme', 'search', now);
    ledger.add(5n, 'globex', 'chat', now);
    expect(ledger.spent({ tenant: 'acme', feature: 'chat' }, 'hour')).toBe(3n);
    expect(ledger.spent({ tenant: 'globex', feature: 'chat' }, 'hour')).toBe(0n);
  });
});
