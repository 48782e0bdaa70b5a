import type { SharedResourceConfig } from '@costspan/core';
import { isDecimalAmount, isRecord, parseCurrency, parseDate, parseMatch, parseName, unknownKeys } from './match.js';
import type { ConfigProblem } from './problem.js';

const RESOURCE_KEYS = [
  'id',
  'component',
  'monthlyRate',
  'hourlyRate',
  'currency',
  'match',
  'method',
  'window',
  'idle',
  'overhead',
  'startTime',
] as const;
const MAX_WINDOW_MS = 86_400_000;

/**
 * The `resources:` section: shared fixed-rate resources allocated like GPU nodes. Every problem is added with
 * its path (`resources[0].monthlyRate`); the entries without a problem are returned. Absent → `[]`.
 */
export function parseResources(raw: unknown, path: string, problems: ConfigProblem[]): SharedResourceConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path, message: 'expected a list of shared resources' });
    return [];
  }
  const out: SharedResourceConfig[] = [];
  const ids = new Set<string>();
  raw.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const resource = parseResource(item, at, problems);
    if (resource === undefined) return;
    if (ids.has(resource.id)) {
      problems.push({ path: `${at}.id`, message: `duplicates resource id '${resource.id}'` });
      return;
    }
    ids.add(resource.id);
    out.push(resource);
  });
  return out;
}

function parseResource(raw: unknown, path: string, problems: ConfigProblem[]): SharedResourceConfig | undefined {
  if (!isRecord(raw)) {
    problems.push({ path, message: 'expected a mapping with id, component, monthlyRate or hourlyRate, and match' });
    return undefined;
  }
  const before = problems.length;
  unknownKeys(raw, RESOURCE_KEYS, path, problems);
  const id = parseName(raw.id, `${path}.id`, problems);
  const component = parseName(raw.component, `${path}.component`, problems);
  const match = parseMatch(raw.match, `${path}.match`, problems);
  const hasMonthly = raw.monthlyRate !== undefined;
  const hasHourly = raw.hourlyRate !== undefined;
  if (hasMonthly && hasHourly) {
    problems.push({ path: `${path}.hourlyRate`, message: 'give either monthlyRate or hourlyRate, not both' });
  } else if (!hasMonthly && !hasHourly) {
    problems.push({ path: `${path}.monthlyRate`, message: 'expected monthlyRate or hourlyRate (an amount >= 0)' });
  } else {
    const key = hasMonthly ? 'monthlyRate' : 'hourlyRate';
    if (!isDecimalAmount(raw[key])) problems.push({ path: `${path}.${key}`, message: 'expected an amount >= 0' });
  }
  const currency = parseCurrency(raw.currency, `${path}.currency`, problems);
  const method = parseMethod(raw.method, `${path}.method`, problems);
  if (raw.window !== undefined) {
    const w = raw.window;
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w <= 0 || w > MAX_WINDOW_MS) {
      problems.push({ path: `${path}.window`, message: `expected whole milliseconds from 1 to ${MAX_WINDOW_MS}` });
    }
  }
  if (raw.idle !== undefined && raw.idle !== 'separate' && raw.idle !== 'shared') {
    problems.push({ path: `${path}.idle`, message: 'expected separate or shared' });
  }
  const overhead = parseOverhead(raw.overhead, `${path}.overhead`, problems);
  const startTime = parseDate(raw.startTime, `${path}.startTime`, problems);
  if (problems.length > before || !id || !component || !match) return undefined;
  const out: SharedResourceConfig = { id, component, match };
  if (hasMonthly) out.monthlyRate = raw.monthlyRate as number | string;
  else out.hourlyRate = raw.hourlyRate as number | string;
  if (currency !== undefined) out.currency = currency;
  if (method !== undefined) out.method = method;
  if (raw.window !== undefined) out.window = raw.window as number;
  if (raw.idle !== undefined) out.idle = raw.idle as 'separate' | 'shared';
  if (overhead !== undefined) out.overhead = overhead;
  if (startTime !== undefined) out.startTime = startTime;
  return out;
}

function parseMethod(raw: unknown, path: string, problems: ConfigProblem[]): SharedResourceConfig['method'] {
  if (raw === undefined || raw === 'time' || raw === 'requests') return raw;
  if (isRecord(raw) && Object.keys(raw).length === 1 && typeof raw.unit === 'string' && raw.unit !== '') {
    return { unit: raw.unit };
  }
  problems.push({ path, message: 'expected time, requests or { unit: attribute }' });
  return undefined;
}

function parseOverhead(raw: unknown, path: string, problems: ConfigProblem[]): SharedResourceConfig['overhead'] {
  if (raw === undefined) return undefined;
  if (isRecord(raw) && Object.keys(raw).length === 1) {
    if (typeof raw.percent === 'number' && Number.isFinite(raw.percent) && raw.percent >= 0 && raw.percent <= 1000) {
      return { percent: raw.percent };
    }
    if (typeof raw.monthlyBudget === 'number' && Number.isFinite(raw.monthlyBudget) && raw.monthlyBudget >= 0) {
      return { monthlyBudget: raw.monthlyBudget };
    }
  }
  problems.push({ path, message: 'expected { percent: 0-1000 } or { monthlyBudget: amount >= 0 }' });
  return undefined;
}
