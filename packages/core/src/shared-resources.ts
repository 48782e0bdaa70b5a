import {
  type AllocationUsage,
  GpuAllocator,
  type NodeWindowRecord,
  type RequestAllocation,
  type RequestWindowPart,
  type ResolvedOverhead,
  rationalFromDecimal,
  rationalFromNumber,
  type SharedResourceMethod,
  sharedResourceConfig,
  type WindowClose,
} from '@costspan/allocation';
import type { ComponentCost, DecimalAmount } from './cost-rules.js';
import { effectiveFromMs } from './cost-rules.js';
import { exactAtEnd } from './gpu-share.js';
import type { AttrMap } from './record.js';
import { type AnchorIndex, type AttributeMatch, type CompiledMatch, compileMatch } from './rule-match.js';

/** Micro-units (the allocator's money) per nano-unit (the core's). */
const NANOS_PER_MICRO = 1000;

/** One entry of `resources:` (validated by `@costspan/config`'s `parseResources`). */
export interface SharedResourceConfig {
  /** Written as `costspan.cost.rule` on the spans it serves and `costspan.resource` on its window records. */
  id: string;
  component: string;
  /** Per month of 730 hours (`HOURS_PER_MONTH`). Give this or `hourlyRate`. */
  monthlyRate?: DecimalAmount;
  hourlyRate?: DecimalAmount;
  /** ISO 4217, default USD. */
  currency?: string;
  match: AttributeMatch;
  /** `time` (default), `requests`, or `{ unit: attribute }`: by the unit count each span reports. */
  method?: 'time' | 'requests' | { unit: string };
  /** Allocation window, ms (default 60 000, as GPU nodes). */
  window?: number;
  /** Default `separate`: an idle line per resource and window. */
  idle?: 'separate' | 'shared';
  overhead?: { percent: number } | { monthlyBudget: number };
  /** When the resource starts costing money. Default: the door's start (the first span's window in the collector). */
  startTime?: string | number | Date;
}

/** A closed window of one resource: its record (as a GPU node's) and the spans' final parts. */
export interface ResourceWindow {
  resource: string;
  component: string;
  record: NodeWindowRecord;
  parts: RequestWindowPart[];
  windowStart: number;
}

/** A span's share of a resource at its end, with what the door needs to finalize it later. */
export interface ResourceShare {
  cost: ComponentCost;
  allocation: RequestAllocation;
  /** Start (ms) of the window holding the span's end: its figures are final once that window closed. */
  lastWindowStart: number;
}

interface Compiled {
  id: string;
  component: string;
  currency: string;
  match: CompiledMatch;
  /** Its anchor's bit (see `bindAnchors`); -1 until bound. */
  bit: number;
  unitAttribute: string | undefined;
  allocator: GpuAllocator;
}

/**
 * Shared fixed-rate resources beyond GPU nodes: each one runs its own `GpuAllocator` (one node), so time, idle
 * and overhead are exactly those of GPU nodes (same windows, integer money, conservation per window), shared
 * by time, by request or by a unit attribute (`method: { unit }` → the allocator's `units` method).
 */
export class SharedResources {
  readonly #resources: Compiled[] = [];
  readonly matches: readonly CompiledMatch[];

  constructor(configs: readonly SharedResourceConfig[], options: { startTimeMs?: number } = {}) {
    configs.forEach((config, i) => {
      const path = `resources[${i}]`;
      const rate = (value: DecimalAmount | undefined, key: string) => {
        if (value === undefined) return undefined;
        const r = rationalFromDecimal(String(value));
        if (r === undefined) throw new TypeError(`${path}.${key}: not a non-negative decimal amount`);
        return r;
      };
      const method: SharedResourceMethod =
        typeof config.method === 'object' ? 'units' : config.method === 'requests' ? 'requests' : 'time';
      const startMs = config.startTime === undefined ? options.startTimeMs : effectiveFromMs(config.startTime);
      const allocationConfig = sharedResourceConfig({
        id: config.id,
        hourlyRate: rate(config.hourlyRate, 'hourlyRate'),
        monthlyRate: rate(config.monthlyRate, 'monthlyRate'),
        currency: config.currency,
        method,
        windowMs: config.window,
        idle: config.idle,
        overhead: overhead(config.overhead),
        startTimeMs: config.startTime === undefined ? undefined : startMs,
      });
      this.#resources.push({
        id: config.id,
        component: config.component,
        currency: config.currency ?? 'USD',
        match: compileMatch(config.match, `${path}.match`),
        bit: -1,
        unitAttribute: typeof config.method === 'object' ? config.method.unit : undefined,
        allocator: new GpuAllocator(allocationConfig, { startTime: startMs }),
      });
    });
    this.matches = this.#resources.map((r) => r.match);
  }

  get size(): number {
    return this.#resources.length;
  }

  /** Gives each resource its anchor's bit in `index`, so `match(attrs, mask)` skips those that cannot match. */
  bindAnchors(index: AnchorIndex): void {
    for (const r of this.#resources) r.bit = index.bit(r.match.anchor);
  }

  /** Index of the first resource whose `match` holds, or -1. `mask`: the anchors present (`AnchorIndex.mask`). */
  match(attrs: AttrMap, mask = -1): number {
    const resources = this.#resources;
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i] as Compiled;
      if ((r.bit & mask) !== 0 && r.match.test(attrs)) return i;
    }
    return -1;
  }

  /**
   * Records a finished span on resource `index` (start and end from the span itself) and returns its share now:
   * the exact time share for `time` with separate idle and no overhead, otherwise the allocator's provisional
   * estimate from the previous window (`final: false`; the window close gives the exact figures).
   */
  end(index: number, requestId: string, startMs: number, endMs: number, attrs: AttrMap): ResourceShare | undefined {
    const resource = this.#resources[index];
    if (resource === undefined || !Number.isFinite(startMs)) return undefined;
    let units: number | undefined;
    let usage: AllocationUsage | undefined;
    if (resource.unitAttribute !== undefined) {
      const raw = attrs[resource.unitAttribute];
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
      if (Number.isFinite(value) && value >= 0) {
        units = value;
        usage = { units: value };
      }
    }
    const allocator = resource.allocator;
    const end = Number.isFinite(endMs) ? Math.max(endMs, startMs) : startMs;
    const allocation = allocator.record({ id: requestId, nodeId: resource.id, start: startMs, end, usage });
    if (allocation === undefined) return undefined;
    const estimate = allocator.estimate(allocation, usage);
    const windowMs = allocator.config.windowMs;
    return {
      cost: {
        kind: 'resource',
        rule: resource.id,
        component: resource.component,
        currency: resource.currency,
        nanos: estimate.total * NANOS_PER_MICRO,
        reason: undefined,
        units,
        idleNanos: estimate.idleShare * NANOS_PER_MICRO,
        overheadNanos: estimate.overhead * NANOS_PER_MICRO,
        final: exactAtEnd(allocator.config, allocation, estimate),
      },
      allocation,
      lastWindowStart: Math.floor(allocation.end / windowMs) * windowMs,
    };
  }

  /** Closes every resource's windows that end at or before the watermark (span time), in order. */
  closeWindows(watermarkMs: number, maxWindows = Number.POSITIVE_INFINITY): ResourceWindow[] {
    const out: ResourceWindow[] = [];
    for (const resource of this.#resources) {
      const allocator = resource.allocator;
      const first = allocator.firstOpenWindow;
      const bounded =
        first === undefined || maxWindows === Number.POSITIVE_INFINITY
          ? watermarkMs
          : Math.min(watermarkMs, first + maxWindows * allocator.config.windowMs);
      collect(out, resource, allocator.closeWindows(bounded));
    }
    return out;
  }

  /** Closes every window up to the latest span seen (flush, shutdown). */
  closeAll(): ResourceWindow[] {
    const out: ResourceWindow[] = [];
    for (const resource of this.#resources) collect(out, resource, resource.allocator.closeAll());
    return out;
  }

  /** The latest span timestamp any resource saw (ms). */
  get latestTimestamp(): number | undefined {
    let latest: number | undefined;
    for (const r of this.#resources) {
      const t = r.allocator.latestTimestamp;
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
    }
    return latest;
  }
}

function collect(out: ResourceWindow[], resource: Compiled, closes: readonly WindowClose[]): void {
  for (const close of closes) {
    for (const record of close.nodes) {
      out.push({
        resource: resource.id,
        component: resource.component,
        record,
        parts: close.requests,
        windowStart: close.windowStart,
      });
    }
  }
}

function overhead(value: SharedResourceConfig['overhead']): ResolvedOverhead | undefined {
  if (value === undefined) return undefined;
  if ('percent' in value)
    return Object.freeze({ kind: 'percent' as const, percent: rationalFromNumber(value.percent) });
  return Object.freeze({ kind: 'monthlyBudget' as const, monthlyBudget: rationalFromNumber(value.monthlyBudget) });
}
