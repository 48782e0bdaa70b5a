import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { multiplyRational, rationalFromNumber } from './rational.js';
import type {
  AllocationMethod,
  AllocationMode,
  GpuConfig,
  GpuNodeMatch,
  IdlePolicy,
  ResolvedGpuConfig,
  ResolvedGpuNode,
  ResolvedOverhead,
  TokenWeights,
} from './types.js';

export const DEFAULT_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 86_400_000;
export const DEFAULT_MAX_HELD_SPANS = 10_000;
export const DEFAULT_MAX_REQUEST_AGE_MS = 3_600_000;
export const DEFAULT_TOKEN_WEIGHTS: Readonly<Required<TokenWeights>> = Object.freeze({
  input: 1,
  cachedInput: 0.1,
  output: 4,
});

const METHODS: readonly AllocationMethod[] = ['time', 'tokens', 'requests'];
const IDLE_POLICIES: readonly IdlePolicy[] = ['separate', 'shared'];
const MODES: readonly AllocationMode[] = ['streaming', 'windowed'];
const NODE_KEYS = new Set(['id', 'hourlyRate', 'gpus', 'gpuHourlyRate', 'currency', 'startTime', 'match']);
const MATCH_KEYS = new Set(['server.address', 'server.port', 'resource']);
const GPU_KEYS = new Set([
  'nodes',
  'window',
  'method',
  'tokenWeights',
  'idle',
  'overhead',
  'mode',
  'maxHeldSpans',
  'maxRequestAge',
]);

/** One problem found in a `gpu` configuration. */
export interface GpuConfigIssue {
  /** e.g. `gpu.nodes[1].hourlyRate` */
  path: string;
  message: string;
}

/** Thrown when a configuration is invalid; lists every problem, and nothing of the configuration was applied. */
export class GpuConfigError extends Error {
  readonly issues: readonly GpuConfigIssue[];
  readonly source: string | undefined;
  constructor(issues: GpuConfigIssue[], source?: string) {
    const prefix = source ? `${source}: ` : '';
    super(
      `invalid gpu configuration${source ? ` in ${source}` : ''}:\n` +
        issues.map((i) => `  ${prefix}${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'GpuConfigError';
    this.issues = issues;
    this.source = source;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Validates a `gpu` configuration and returns a frozen, resolved copy (exact rates, defaults filled in).
 * Throws `GpuConfigError` naming every bad path (`gpu.nodes[1].hourlyRate: must be a positive number`);
 * the input is never modified.
 */
export function resolveGpuConfig(input: unknown, source?: string): ResolvedGpuConfig {
  const issues: GpuConfigIssue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });
  if (!isRecord(input)) throw new GpuConfigError([{ path: 'gpu', message: 'must be an object' }], source);
  const config = input as Partial<GpuConfig> & Record<string, unknown>;
  for (const key of Object.keys(config)) if (!GPU_KEYS.has(key)) fail(`gpu.${key}`, 'is not a known option');

  const nodes: ResolvedGpuNode[] = [];
  if (!Array.isArray(config.nodes) || config.nodes.length === 0) {
    fail('gpu.nodes', 'must be a non-empty array of nodes');
  } else {
    const seen = new Set<string>();
    config.nodes.forEach((raw: unknown, index: number) => {
      const node = resolveNode(raw, `gpu.nodes[${index}]`, fail);
      if (!node) return;
      if (seen.has(node.id)) fail(`gpu.nodes[${index}].id`, `duplicates node id '${node.id}'`);
      seen.add(node.id);
      nodes.push(node);
    });
  }

  const windowMs = config.window ?? DEFAULT_WINDOW_MS;
  if (!isPositiveInteger(windowMs) || windowMs > MAX_WINDOW_MS) {
    fail('gpu.window', `must be a whole number of milliseconds between 1 and ${MAX_WINDOW_MS}`);
  }
  const method = config.method ?? 'time';
  if (!METHODS.includes(method)) fail('gpu.method', `must be one of ${METHODS.join(', ')}`);
  const idle = config.idle ?? 'separate';
  if (!IDLE_POLICIES.includes(idle)) fail('gpu.idle', `must be one of ${IDLE_POLICIES.join(', ')}`);
  const mode = config.mode ?? 'streaming';
  if (!MODES.includes(mode)) fail('gpu.mode', `must be one of ${MODES.join(', ')}`);
  const maxHeldSpans = config.maxHeldSpans ?? DEFAULT_MAX_HELD_SPANS;
  if (!isPositiveInteger(maxHeldSpans)) fail('gpu.maxHeldSpans', 'must be a positive integer');
  const maxRequestAgeMs = config.maxRequestAge ?? DEFAULT_MAX_REQUEST_AGE_MS;
  if (!isPositiveInteger(maxRequestAgeMs)) fail('gpu.maxRequestAge', 'must be a positive integer (ms)');

  const tokenWeights: Required<TokenWeights> = { ...DEFAULT_TOKEN_WEIGHTS };
  if (config.tokenWeights !== undefined) {
    if (!isRecord(config.tokenWeights)) fail('gpu.tokenWeights', 'must be an object');
    else {
      for (const [key, value] of Object.entries(config.tokenWeights)) {
        if (!(key in tokenWeights))
          fail(`gpu.tokenWeights.${key}`, 'is not a known weight (input, cachedInput, output)');
        else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1_000_000) {
          fail(`gpu.tokenWeights.${key}`, 'must be a number from 0 to 1000000');
        } else tokenWeights[key as keyof TokenWeights] = value;
      }
    }
  }

  const overhead = resolveOverhead(config.overhead, fail);
  if (overhead.kind === 'monthlyBudget' && new Set(nodes.map((n) => n.currency)).size > 1) {
    fail('gpu.overhead.monthlyBudget', 'needs every node in one currency');
  }

  if (issues.length > 0) throw new GpuConfigError(issues, source);
  return Object.freeze({
    nodes: Object.freeze(nodes),
    windowMs,
    method,
    tokenWeights: Object.freeze(tokenWeights),
    idle,
    overhead,
    mode,
    maxHeldSpans,
    maxRequestAgeMs,
  });
}

function resolveNode(
  raw: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): ResolvedGpuNode | undefined {
  if (!isRecord(raw)) {
    fail(path, 'must be an object');
    return undefined;
  }
  const before = { count: 0 };
  const note = (p: string, m: string) => {
    before.count++;
    fail(p, m);
  };
  for (const key of Object.keys(raw)) if (!NODE_KEYS.has(key)) note(`${path}.${key}`, 'is not a known node option');
  const id = raw.id;
  if (typeof id !== 'string' || id.trim() === '') note(`${path}.id`, 'must be a non-empty string');

  let hourlyRate = undefined as ResolvedGpuNode['hourlyRate'] | undefined;
  const hasRate = raw.hourlyRate !== undefined;
  const hasGpus = raw.gpus !== undefined || raw.gpuHourlyRate !== undefined;
  if (hasRate && hasGpus) note(`${path}.hourlyRate`, 'give either hourlyRate or gpus × gpuHourlyRate, not both');
  else if (hasRate) {
    if (!isPositive(raw.hourlyRate)) note(`${path}.hourlyRate`, 'must be a positive number');
    else hourlyRate = rationalFromNumber(raw.hourlyRate);
  } else if (hasGpus) {
    if (!isPositiveInteger(raw.gpus)) note(`${path}.gpus`, 'must be a positive integer');
    if (!isPositive(raw.gpuHourlyRate)) note(`${path}.gpuHourlyRate`, 'must be a positive number');
    if (isPositiveInteger(raw.gpus) && isPositive(raw.gpuHourlyRate)) {
      hourlyRate = multiplyRational(rationalFromNumber(raw.gpus), rationalFromNumber(raw.gpuHourlyRate));
    }
  } else note(`${path}.hourlyRate`, 'must be a positive number (or give gpus and gpuHourlyRate)');

  const currency = raw.currency ?? 'USD';
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    note(`${path}.currency`, 'must be a three-letter ISO 4217 code such as USD');
  }

  let startUs: number | undefined;
  if (raw.startTime !== undefined) {
    const ms =
      raw.startTime instanceof Date
        ? raw.startTime.getTime()
        : typeof raw.startTime === 'string'
          ? Date.parse(raw.startTime)
          : raw.startTime;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      note(`${path}.startTime`, 'must be a Date, epoch milliseconds or an ISO 8601 date');
    } else startUs = Math.round(ms * 1000);
  }

  const match = resolveMatch(raw.match, `${path}.match`, note);
  if (before.count > 0 || typeof id !== 'string' || !hourlyRate) return undefined;
  return Object.freeze({ id, hourlyRate, currency: currency as string, startUs, match });
}

function resolveMatch(raw: unknown, path: string, fail: (path: string, message: string) => void): GpuNodeMatch {
  if (raw === undefined) return Object.freeze({});
  if (!isRecord(raw)) {
    fail(path, 'must be an object');
    return {};
  }
  for (const key of Object.keys(raw)) {
    if (!MATCH_KEYS.has(key)) fail(`${path}.${key}`, "is not a known rule ('server.address', 'server.port', resource)");
  }
  const match: GpuNodeMatch = {};
  const address = raw['server.address'];
  if (address !== undefined) {
    if (typeof address !== 'string' || address === '') fail(`${path}['server.address']`, 'must be a non-empty string');
    else match['server.address'] = address;
  }
  const port = raw['server.port'];
  if (port !== undefined) {
    if (!isPositiveInteger(port) || port > 65_535) fail(`${path}['server.port']`, 'must be a port number (1-65535)');
    else if (address === undefined) fail(`${path}['server.port']`, "needs 'server.address' beside it");
    else match['server.port'] = port;
  }
  if (raw.resource !== undefined) {
    if (!isRecord(raw.resource) || Object.keys(raw.resource).length === 0) {
      fail(`${path}.resource`, 'must be a non-empty object of attribute values');
    } else {
      const resource: Record<string, string> = {};
      for (const [key, value] of Object.entries(raw.resource)) {
        if (typeof value !== 'string') fail(`${path}.resource['${key}']`, 'must be a string');
        else resource[key] = value;
      }
      match.resource = Object.freeze(resource);
    }
  }
  return Object.freeze(match);
}

function resolveOverhead(raw: unknown, fail: (path: string, message: string) => void): ResolvedOverhead {
  if (raw === undefined) return Object.freeze({ kind: 'none' as const });
  if (!isRecord(raw)) {
    fail('gpu.overhead', 'must be { percent } or { monthlyBudget }');
    return { kind: 'none' };
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1 || (keys[0] !== 'percent' && keys[0] !== 'monthlyBudget')) {
    fail('gpu.overhead', 'must have exactly one of percent or monthlyBudget');
    return { kind: 'none' };
  }
  if ('percent' in raw) {
    const percent = raw.percent;
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 1000) {
      fail('gpu.overhead.percent', 'must be a number from 0 to 1000');
      return { kind: 'none' };
    }
    return Object.freeze({ kind: 'percent' as const, percent: rationalFromNumber(percent) });
  }
  const budget = raw.monthlyBudget;
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0) {
    fail('gpu.overhead.monthlyBudget', 'must be a non-negative number');
    return { kind: 'none' };
  }
  return Object.freeze({ kind: 'monthlyBudget' as const, monthlyBudget: rationalFromNumber(budget) });
}

/**
 * Reads a YAML or JSON file holding either `{ gpu: {...} }` or the `gpu` object itself, and resolves it.
 * Errors name the file and the path; a file that cannot be read or parsed is reported the same way.
 */
export function loadGpuConfigFile(path: string): ResolvedGpuConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GpuConfigError([{ path: 'gpu', message: `cannot read file (${(error as Error).message})` }], path);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new GpuConfigError([{ path: 'gpu', message: `not valid YAML/JSON (${(error as Error).message})` }], path);
  }
  const gpu = isRecord(document) && 'gpu' in document ? document.gpu : document;
  return resolveGpuConfig(gpu, path);
}
