import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReportCommand } from '../src/reporting/report-command.js';
import { captureIo } from './helpers/capture-io.js';
import { type RowSpec, writeRows } from './helpers/span-rows.js';
import { tempDir } from './helpers/store-fixture.js';

const USD = 1_000_000_000;
const at = (minute: number) => new Date(Date.parse('2026-11-03T09:00:00Z') + minute * 60_000).toISOString();
// acme (pro): chat at $1, $2, $3, $4 and one unpriced call; globex (pro): chat at $10 twice;
// initech (free): search at $1 three times; one search call without a tenant at $5.
const rows: RowSpec[] = [
  { start: at(1), costNanos: 1 * USD, tenant: 'acme', feature: 'chat' },
  { start: at(2), costNanos: 2 * USD, tenant: 'acme', feature: 'chat' },
  { start: at(3), costNanos: 3 * USD, tenant: 'acme', feature: 'chat' },
  { start: at(4), costNanos: 4 * USD, tenant: 'acme', feature: 'chat' },
  { start: at(5), costNanos: null, tenant: 'acme', feature: 'chat' },
  { start: at(6), costNanos: 10 * USD, tenant: 'globex', feature: 'chat' },
  { start: at(7), costNanos: 10 * USD, tenant: 'globex', feature: 'chat' },
  { start: at(8), costNanos: 1 * USD, tenant: 'initech', feature: 'search' },
  { start: at(9), costNanos: 1 * USD, tenant: 'initech', feature: 'search' },
  { start: at(10), costNanos: 1 * USD, tenant: 'initech', feature: 'search' },
  { start: at(11), costNanos: 5 * USD, feature: 'search' },
];

async function fixture() {
  const dir = tempDir();
  const store = join(dir, 'floors.duckdb');
  await writeRows(store, rows);
  const revenue = join(dir, 'revenue.csv');
  writeFileSync(revenue, 'tenant,tier,revenue\nacme,pro,20\nglobex,pro,15\ninitech,free,0.50\n');
  return { store, revenue };
}

describe('price floors in costspan report --revenue', () => {
  it('gives floors per feature and tier, tenants priced below them, and a request cap what-if', async () => {
    const { store, revenue } = await fixture();
    const io = captureIo();
    const args = ['--store', store, '--revenue', revenue, '--target-margin', '50%', '--cap-requests', '2'];
    const code = await runReportCommand([...args, '--format', 'json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const { floors } = JSON.parse(io.out());
    expect(floors.targetMargin).toBe(0.5);
    // chat: 6 priced calls, $30 → $5 mean; p95 (nearest rank) $10; floors ×1.5. acme pays $20 for 5 calls
    // ($4 < $7.50: below), globex $15 for 2 ($7.50: not below).
    expect(floors.byFeature).toEqual([
      {
        key: 'chat',
        requests: 7,
        unpriced: 1,
        meanCost: '5.00',
        p95Cost: '10.00',
        floorMean: '7.50',
        floorP95: '15.00',
        tenantsWithRevenue: 2,
        tenantsBelowFloor: 1,
        shareBelowFloor: 0.5,
      },
      {
        key: 'search',
        requests: 4,
        unpriced: 0,
        meanCost: '2.00',
        p95Cost: '5.00',
        floorMean: '3.00',
        floorP95: '7.50',
        tenantsWithRevenue: 1,
        tenantsBelowFloor: 1,
        shareBelowFloor: 1,
      },
    ]);
    expect(
      floors.byTier.map((r: Record<string, unknown>) => [
        r.key,
        r.meanCost,
        r.floorMean,
        r.tenantsBelowFloor,
        r.tenantsWithRevenue,
      ]),
    ).toEqual([
      ['(none)', '5.00', '7.50', 0, 0],
      ['free', '1.00', '1.50', 1, 1],
      ['pro', '5.00', '7.50', 1, 2],
    ]);
    // Two requests per tenant: acme loses $3 + $4 + the unpriced call, initech one $1 call.
    expect(floors.cap).toEqual({
      kind: 'requests',
      limit: 2,
      byTier: [
        {
          tier: 'free',
          tenants: 1,
          tenantsCapped: 1,
          requestsCut: 1,
          revenue: '0.50',
          cost: '3.00',
          margin: '-2.50',
          costAfter: '2.00',
          marginAfter: '-1.50',
        },
        {
          tier: 'pro',
          tenants: 2,
          tenantsCapped: 1,
          requestsCut: 3,
          revenue: '35.00',
          cost: '30.00',
          margin: '5.00',
          costAfter: '23.00',
          marginAfter: '12.00',
        },
      ],
    });

    const table = captureIo();
    expect(await runReportCommand(args, table)).toBe(0);
    expect(table.out()).toContain('Price floor by feature (cost per request × 1.5, target margin 50.0%)');
    expect(table.out()).toMatch(/chat +7 +\$5\.00 +\$10\.00 +\$7\.50 +\$15\.00 +1 of 2 \(50\.0%\)/);
    expect(table.out()).toMatch(/pro +2 +1 +3 +\$35\.00 +\$30\.00 +\$5\.00 +\$23\.00 +\$12\.00/);
  });

  it('caps spend per tenant, and rejects conflicting caps', async () => {
    const { store, revenue } = await fixture();
    const io = captureIo();
    const args = ['--store', store, '--revenue', revenue, '--cap-spend', '5', '--format', 'json'];
    expect(await runReportCommand(args, io)).toBe(0);
    const { floors } = JSON.parse(io.out());
    expect(floors.targetMargin).toBe(0.3);
    // $5 a tenant: acme's running spend 1, 3, 6, 10 → the $3 and $4 calls (and the unpriced one after) are cut;
    // globex's first $10 call already passes it.
    expect(floors.cap.byTier.find((r: { tier: string }) => r.tier === 'pro')).toMatchObject({
      tenantsCapped: 2,
      requestsCut: 5,
      costAfter: '3.00',
      marginAfter: '32.00',
    });
    const both = captureIo();
    expect(await runReportCommand([...args, '--cap-requests', '3'], both)).toBe(2);
    expect(both.err()).toContain('give --cap-requests or --cap-spend, not both');
  });

  it('puts the same floor tables in the HTML report', async () => {
    const { store, revenue } = await fixture();
    const out = join(tempDir(), 'floors.html');
    const io = captureIo();
    const args = ['--store', store, '--revenue', revenue, '--target-margin', '50%', '--cap-requests', '2'];
    expect(await runReportCommand([...args, '--format', 'html', '--out', out], io)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h2>Price floor by feature (cost per request × 1.5, target margin 50.0%)</h2>');
    expect(html).toContain(
      '<tr><td>chat</td><td class="n">7</td><td class="n">$5.00</td><td class="n">$10.00</td><td class="n">$7.50</td><td class="n">$15.00</td><td class="n">1 of 2 (50.0%)</td></tr>',
    );
    expect(html).toContain('<h2>What if each tenant were capped at 2 requests (revenue unchanged)</h2>');
  });
});
