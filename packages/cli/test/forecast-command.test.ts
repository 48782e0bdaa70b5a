import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runForecastCommand } from '../src/reporting/forecast-command.js';
import { captureIo } from './helpers/capture-io.js';
import { type RowSpec, writeRows } from './helpers/span-rows.js';
import { tempDir } from './helpers/store-fixture.js';

const DAY = 86_400_000;
const USD = 1_000_000_000;

function daily(from: string, to: string, spec: (day: string) => Omit<RowSpec, 'start'>): RowSpec[] {
  const out: RowSpec[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += DAY) {
    out.push({ start: new Date(t + 12 * 3_600_000).toISOString(), ...spec(new Date(t).toISOString()) });
  }
  return out;
}

describe('costspan forecast', () => {
  it('projects month-end spend per tenant from the store, beside the monthly budget', async () => {
    const path = join(tempDir(), 'forecast.duckdb');
    await writeRows(path, [
      // acme: $10 a day since November (two spans of $5), globex: $1 a day since December 1.
      ...daily('2026-11-01', '2026-12-31', () => ({ costNanos: 5 * USD, tenant: 'acme' })),
      ...daily('2026-11-01', '2026-12-31', () => ({ costNanos: 5 * USD, tenant: 'acme' })),
      ...daily('2026-12-01', '2026-12-31', () => ({ costNanos: USD, tenant: 'globex' })),
      { start: '2026-12-05T10:00:00Z', costNanos: null, tenant: 'acme' }, // unpriced: not counted
    ]);
    const io = captureIo();
    const code = await runForecastCommand(
      [
        '--store',
        path,
        '--by',
        'tenant',
        '--month',
        '2026-12',
        '--as-of',
        '2026-12-11',
        '--format',
        'json',
        '--config',
        'x.yaml',
      ],
      io,
      { loadBudgets: () => [{ name: 'acme-monthly', tenant: 'acme', limitNanos: 250n * BigInt(USD) }] },
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(io.out());
    expect(result).toMatchObject({ month: '2026-12', asOf: '2026-12-11T00:00:00.000Z', by: 'tenant', interval: 0.9 });
    // Spend after --as-of is not read: the projection is what the model said on December 11.
    expect(result.rows).toEqual([
      {
        tenant: 'acme',
        monthToDate: '100.00',
        projected: '310.00',
        low: '310.00',
        high: '310.00',
        trendPerDay: '0.00',
        weekdayFactors: [1, 1, 1, 1, 1, 1, 1],
        daysFitted: 40,
        budget: {
          name: 'acme-monthly',
          limit: '250.00',
          projectedUtilization: 1.24,
          exceeded: false,
          exceedsOn: '2026-12-25',
        },
      },
      {
        tenant: 'globex',
        monthToDate: '10.00',
        projected: '31.00',
        low: '31.00',
        high: '31.00',
        trendPerDay: '0.00',
        weekdayFactors: [1, 1, 1, 1, 1, 1, 1],
        daysFitted: 10,
        budget: null,
      },
    ]);
    expect(result.total).toMatchObject({ tenant: null, monthToDate: '110.00' });

    const table = captureIo();
    expect(
      await runForecastCommand(
        ['--store', path, '--by', 'tenant', '--month', '2026-12', '--as-of', '2026-12-11'],
        table,
      ),
    ).toBe(0);
    expect(table.out()).toContain('forecast 2026-12 by tenant, as of 2026-12-11T00:00Z (90 % interval)');
    expect(table.out()).toMatch(/acme\s+\$100\.00\s+\$310\.00\s+\$310\.00 – \$310\.00/);
  });

  it('rejects bad flags with the usage', async () => {
    const io = captureIo();
    expect(await runForecastCommand(['--store', 'x.duckdb', '--by', 'model'], io)).toBe(2);
    expect(io.err()).toContain('--by must be one of feature, tenant');
    const month = captureIo();
    expect(await runForecastCommand(['--store', 'x.duckdb', '--by', 'tenant', '--month', '2026-13'], month)).toBe(2);
  });
});
