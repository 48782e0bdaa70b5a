import { CollectorConfigError } from './config-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A duration as the OTel Collector writes it (`500ms`, `5s`, `1m`, `1h`) or a number of milliseconds. */
export function parseDuration(value: unknown, key: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
    if (match) return Number(match[1]) * (UNITS[match[2] as string] as number);
  }
  throw new CollectorConfigError(key, `expected a duration such as 500ms, 5s or 1m, got ${JSON.stringify(value)}`);
}
