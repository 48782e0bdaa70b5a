/** Reporting periods: UTC days and months as half-open ranges of epoch ms. */

export interface Period {
  label: string;
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;

/** A date `YYYY-MM-DD` (UTC midnight) or a full ISO 8601 instant → epoch ms; null when unreadable. */
export function parseDateArg(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** `2026-10` (a month), `2026-10-05` (a day) or `2026-10-01..2026-10-15` (inclusive days). */
export function parsePeriod(text: string): Period | null {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const y = Number(month[1]);
    const m = Number(month[2]);
    if (m < 1 || m > 12) return null;
    return { label: text, from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (range) {
    const from = parseDateArg(range[1]!);
    const last = parseDateArg(range[2]!);
    if (from === null || last === null || last < from) return null;
    return { label: text, from, to: last + DAY_MS };
  }
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDateArg(text) : null;
  if (day !== null) return { label: text, from: day, to: day + DAY_MS };
  return null;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}
