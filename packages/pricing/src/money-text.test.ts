import { describe, expect, it } from 'vitest';
import { displayUsd, formatUsd, parseCents, parseDecimalToNanos, parseUsd, ratio, usdToNanos } from './money.js';

describe('money as text and attributes', () => {
  it('parses USD and cents decimal strings exactly', () => {
    expect(parseUsd('1.2345')).toBe(1_234_500_000n);
    expect(parseUsd(0.1 + 0.2)).toBe(300_000_000n); // shortest text 0.30000000000000004 rounds at 1e-9
    expect(parseUsd(0.07)).toBe(70_000_000n);
    expect(parseUsd(1e-7)).toBe(100n);
    expect(parseCents('123.45')).toBe(1_234_500_000n);
    expect(parseCents('0.0000001')).toBe(1n);
    expect(parseDecimalToNanos('-2.5')).toBe(-2_500_000_000n);
    expect(parseDecimalToNanos('0.0000000005')).toBe(0n); // half to even
    expect(parseDecimalToNanos('0.0000000015')).toBe(2n);
    expect(() => parseUsd('12abc')).toThrow(/not a decimal/);
    expect(() => parseUsd('')).toThrow();
    expect(() => parseUsd(Number.NaN)).toThrow();
  });

  it('formats units as exact USD text', () => {
    expect(formatUsd(1_234_500_000n)).toBe('1.2345');
    expect(formatUsd(5n)).toBe('0.000000005');
    expect(formatUsd(-2_000_000_000n)).toBe('-2.00');
    expect(displayUsd(1_234_500_000n)).toBe('$1.23');
    expect(displayUsd(7_500_000n)).toBe('$0.007500');
    // A cent or more but under a dollar keeps four decimals: $0.018 is not shown as $0.02.
    expect(displayUsd(18_000_000n)).toBe('$0.0180');
    expect(displayUsd(26_964_650n)).toBe('$0.0270');
  });

  it('ratio is null for a zero denominator', () => {
    expect(ratio(3n, 0n)).toBeNull();
    expect(ratio(110n, 100n)).toBe(1.1);
  });

  it('reads an attribute amount back to the nanos it was written from, and refuses what is not an amount', () => {
    expect(usdToNanos(0.000123456)).toBe(123_456);
    expect(usdToNanos(12.5)).toBe(12_500_000_000);
    expect(usdToNanos(-1)).toBeUndefined();
    expect(usdToNanos(Number.NaN)).toBeUndefined();
    expect(usdToNanos(1e10)).toBeUndefined();
  });

  it('formats whole-dollar budgets with no trailing zeros', () => {
    expect(formatUsd(12_500_000_000n, 0)).toBe('12.5');
    expect(formatUsd(1n, 0)).toBe('0.000000001');
    expect(formatUsd(0n, 0)).toBe('0');
    expect(formatUsd(-1_000_000_000n, 0)).toBe('-1');
  });
});
