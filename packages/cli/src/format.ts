/** Text formatting for command output. */

/** Exact USD text from integer nano-dollars: at least 2 decimals, at most 9, no float rounding. */
export function formatNanos(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  const whole = Math.floor(abs / 1e9);
  let frac = String(abs - whole * 1e9).padStart(9, '0');
  frac = frac.replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${sign}$${whole.toLocaleString('en-US')}.${frac}`;
}

/** A USD-per-million price as short text ('$2.5', '$0.075'), or '-' when absent. */
export function formatRate(usd: number | undefined): string {
  return usd === undefined ? '-' : `$${Number(usd.toPrecision(12))}`;
}

/** Left-aligned text table. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
