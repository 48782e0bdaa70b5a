import {
  type AttributionKeys,
  COST_RULES_SOURCE_PREFIX,
  type ComponentPricer,
  type CostRuleConfig,
  type FragmentSpanResult,
  ComponentPricer as Pricer,
  type ResourceWindow,
  type SharedResourceConfig,
  type SpanRecord,
} from '@costspan/core';
import { usdToNanos as amountToNanos, nanosToUsd } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_ALLOCATION_FINAL,
  ATTR_COSTSPAN_COST_AMOUNT,
  ATTR_COSTSPAN_COST_COMPONENT,
  ATTR_COSTSPAN_COST_CURRENCY,
  ATTR_COSTSPAN_COST_IDLE,
  ATTR_COSTSPAN_COST_OVERHEAD,
  ATTR_COSTSPAN_COST_RULE,
  ATTR_COSTSPAN_COST_SUBTREE,
  ATTR_COSTSPAN_FEATURE,
  ATTR_COSTSPAN_PRICING_SOURCE,
  ATTR_COSTSPAN_TENANT,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
} from '@costspan/semconv';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { FinalPartsAccumulator } from './gpu-stage-state.js';
import { longToDecimal, type PlainAttributes, type PlainValue, writeAttributes } from './otlp/attributes.js';
import type { SpanRef } from './otlp/spans.js';
import type { PipelineSinks } from './pipeline.js';
import type { ComponentSpanRow, FinalComponent, ResourceWindowRow } from './store/component-rows.js';

const NO_INT_KEYS: ReadonlySet<string> = new Set<string>();
const MICROS_TO_NANOS = 1000;

/** Where the component stage hands its records (the collector writes them to the store). */
export interface ComponentSinks {
  componentRows(rows: ComponentSpanRow[]): void;
  resourceWindows(rows: ResourceWindowRow[]): void;
  finalComponents(finals: FinalComponent[]): void;
}

/**
 * The collector's door for non-model spans: after the cost core priced the fragment's model calls (and GPU
 * shares were merged), prices the other spans by `costs:` rules and `resources:` shares (the core's
 * `ComponentPricer`, as in-process), writes their attributes into the OTLP spans, adds their cost to the
 * ancestors' `costspan.cost.subtree` in the fragment, and hands out `component_spans` rows, `resource_windows`
 * rows of closed windows and the final figures of shares whose windows closed later.
 */
export class ComponentStage {
  readonly #pricer: ComponentPricer;
  readonly #sinks: ComponentSinks;
  readonly #graceMs: number;
  readonly #finals = new Map<string, FinalPartsAccumulator>();

  constructor(pricer: ComponentPricer, sinks: ComponentSinks, graceMs: number) {
    this.#pricer = pricer;
    this.#sinks = sinks;
    this.#graceMs = graceMs;
  }

  apply(spans: readonly SpanRef[], records: readonly SpanRecord[], results: FragmentSpanResult[]): void {
    const pricer = this.#pricer;
    const added = new Map<number, number>();
    const rows: ComponentSpanRow[] = [];
    const candidates: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const attrs = records[i]!.attributes;
      if (attrs[ATTR_COSTSPAN_COST_RULE] !== undefined) {
        // Priced upstream (an in-process costspan): counted up the fragment and stored, never priced again.
        const result = results[i]!;
        if (Pricer.appliesTo(result.annotation, records[i]!.name, attrs)) dropAnnotation(result);
        const row = upstreamRow(spans[i]!, attrs as PlainAttributes, records[i]!);
        if (row !== undefined) {
          rows.push(row);
          added.set(i, row.costNanos);
        }
        continue;
      }
      if (pricer.mayMatch(attrs) && Pricer.appliesTo(results[i]!.annotation, records[i]!.name, attrs))
        candidates.push(i);
    }
    // In end order, so a batch's concurrent spans reach the resources' allocators in time order.
    candidates.sort((a, b) => (records[a]!.endTimeMs ?? 0) - (records[b]!.endTimeMs ?? 0));
    for (const i of candidates) {
      const ref = spans[i]!;
      const record = records[i]!;
      const priced = pricer.price(record, ref.traceId + ref.spanId);
      if (priced === undefined) continue;
      dropAnnotation(results[i]!);
      if (!ref.span.attributes) ref.span.attributes = [];
      writeAttributes(ref.span.attributes, priced.attributes as Record<string, PlainValue>, NO_INT_KEYS);
      const cost = priced.cost;
      if (cost.nanos === undefined) continue;
      added.set(i, cost.nanos);
      rows.push({
        ...rowBase(ref, record),
        feature: priced.feature ?? null,
        tenant: priced.tenant ?? null,
        component: cost.component,
        rule: cost.rule,
        ruleKind: cost.kind,
        ruleVersion: pricer.version,
        units: cost.units ?? null,
        currency: cost.currency,
        costNanos: cost.nanos,
        costIdleNanos: cost.kind === 'resource' ? (cost.idleNanos ?? 0) : null,
        costOverheadNanos: cost.kind === 'resource' ? (cost.overheadNanos ?? 0) : null,
        allocationFinal: cost.kind === 'resource' ? cost.final === true : null,
      });
      const share = priced.share;
      if (share !== undefined && cost.final !== true) {
        const done = this.#accumulator(cost.rule).track(
          ref.traceId + ref.spanId,
          share.allocation.parts,
          share.lastWindowStart,
          share.allocation.final,
        );
        if (done) this.#sinks.finalComponents([finalOf(done)]);
      }
    }
    if (added.size > 0) addToSubtrees(records, results, added);
    if (rows.length > 0) this.#sinks.componentRows(rows);
    const latest = pricer.resources.latestTimestamp;
    if (latest !== undefined) this.#close(pricer.resources.closeWindows(latest - this.#graceMs));
  }

  /** Closes windows a quiet period made final (wall clock minus the grace). */
  tick(nowMs: number): void {
    if (this.#pricer.resources.size > 0) this.#close(this.#pricer.resources.closeWindows(nowMs - this.#graceMs));
  }

  flush(): void {
    if (this.#pricer.resources.size > 0) this.#close(this.#pricer.resources.closeAll());
  }

  #accumulator(resource: string): FinalPartsAccumulator {
    let accumulator = this.#finals.get(resource);
    if (accumulator === undefined) {
      accumulator = new FinalPartsAccumulator();
      this.#finals.set(resource, accumulator);
    }
    return accumulator;
  }

  #close(windows: readonly ResourceWindow[]): void {
    if (windows.length === 0) return;
    this.#sinks.resourceWindows(windows.map(resourceWindowRow));
    const finals: FinalComponent[] = [];
    for (const w of windows) {
      const accumulator = this.#finals.get(w.resource);
      if (accumulator === undefined || accumulator.size === 0) continue;
      const close = { windowStart: w.windowStart, windowEnd: w.record.windowEnd, nodes: [w.record], requests: w.parts };
      for (const done of accumulator.apply([close])) finals.push(finalOf(done));
    }
    if (finals.length > 0) this.#sinks.finalComponents(finals);
  }
}

function finalOf(done: {
  traceId: string;
  spanId: string;
  gpuNanos: number;
  idleNanos: number;
  overheadNanos: number;
}) {
  return {
    traceId: done.traceId,
    spanId: done.spanId,
    costNanos: done.gpuNanos + done.idleNanos + done.overheadNanos,
    idleNanos: done.idleNanos,
    overheadNanos: done.overheadNanos,
  };
}

export function resourceWindowRow(w: ResourceWindow): ResourceWindowRow {
  const r = w.record;
  return {
    resource: w.resource,
    component: w.component,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    currency: r.currency,
    resourceCostNanos: r.nodeCost * MICROS_TO_NANOS,
    directCostNanos: r.direct * MICROS_TO_NANOS,
    idleCostNanos: r.idle * MICROS_TO_NANOS,
    idleSharedCostNanos: r.idleShared * MICROS_TO_NANOS,
    overheadCostNanos: r.overhead * MICROS_TO_NANOS,
    busySeconds: r.busyMs / 1000,
    utilization: r.utilization,
    requests: r.requests,
    method: r.method === 'units' ? 'unit' : r.method,
    idlePolicy: r.idlePolicy,
  };
}

/** A model-call annotation a rule replaces (a call with no usage): its attributes are not written. */
function dropAnnotation(result: FragmentSpanResult): void {
  const annotation = result.annotation;
  if (annotation === undefined) return;
  for (const key of Object.keys(annotation.attributes)) delete result.attributes[key];
  result.annotation = undefined;
}

function rowBase(ref: SpanRef, record: SpanRecord) {
  const start = longToDecimal(ref.span.startTimeUnixNano);
  let end = longToDecimal(ref.span.endTimeUnixNano);
  if (BigInt(end) < BigInt(start)) end = start;
  const service = record.resourceAttributes?.[ATTR_SERVICE_NAME];
  return {
    traceId: ref.traceId,
    spanId: ref.spanId,
    parentSpanId: ref.parentSpanId || null,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    spanName: ref.span.name ?? null,
    serviceName: typeof service === 'string' ? service : null,
  };
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The row of a span priced by a costspan upstream, from the attributes it carries. */
function upstreamRow(ref: SpanRef, attrs: PlainAttributes, record: SpanRecord): ComponentSpanRow | undefined {
  const amount = attrs[ATTR_COSTSPAN_COST_AMOUNT];
  const nanos = typeof amount === 'number' ? amountToNanos(amount) : undefined;
  const rule = str(attrs[ATTR_COSTSPAN_COST_RULE]);
  if (nanos === undefined || rule === null) return undefined;
  const final = attrs[ATTR_COSTSPAN_ALLOCATION_FINAL];
  const isResource = typeof final === 'boolean';
  const source = str(attrs[ATTR_COSTSPAN_PRICING_SOURCE]);
  const idle = attrs[ATTR_COSTSPAN_COST_IDLE];
  const overhead = attrs[ATTR_COSTSPAN_COST_OVERHEAD];
  const resourceFeature = record.resourceAttributes?.[ATTR_COSTSPAN_FEATURE];
  const resourceTenant = record.resourceAttributes?.[ATTR_COSTSPAN_TENANT];
  return {
    ...rowBase(ref, record),
    feature: str(attrs[ATTR_COSTSPAN_FEATURE]) ?? str(resourceFeature),
    tenant: str(attrs[ATTR_COSTSPAN_TENANT]) ?? str(resourceTenant),
    component: str(attrs[ATTR_COSTSPAN_COST_COMPONENT]) ?? 'unknown',
    rule,
    ruleKind: isResource ? 'resource' : 'rule',
    ruleVersion: source?.startsWith(COST_RULES_SOURCE_PREFIX) ? source.slice(COST_RULES_SOURCE_PREFIX.length) : null,
    units: null,
    currency: str(attrs[ATTR_COSTSPAN_COST_CURRENCY]) ?? 'USD',
    costNanos: nanos,
    costIdleNanos: isResource ? (typeof idle === 'number' ? (amountToNanos(idle) ?? 0) : 0) : null,
    costOverheadNanos: isResource ? (typeof overhead === 'number' ? (amountToNanos(overhead) ?? 0) : 0) : null,
    allocationFinal: isResource ? (final as boolean) : null,
  };
}

/**
 * Adds non-model costs to `costspan.cost.subtree` of their ancestors in the fragment (the core summed model
 * costs before), and gives a priced span with priced descendants its own subtree figure. Parents by span id
 * within the fragment; a parent outside it ends the walk, and so does a cycle.
 */
export function addToSubtrees(
  records: readonly SpanRecord[],
  results: FragmentSpanResult[],
  added: ReadonlyMap<number, number>,
): void {
  const byId = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.spanId !== undefined && !byId.has(r.spanId)) byId.set(r.spanId, i);
  });
  const fromDescendants = new Map<number, number>();
  for (const [index, nanos] of added) {
    if (nanos <= 0) continue;
    const seen = new Set<number>([index]);
    let parentId = records[index]?.parentSpanId;
    while (parentId !== undefined) {
      const parent = byId.get(parentId);
      if (parent === undefined || seen.has(parent)) break;
      seen.add(parent);
      fromDescendants.set(parent, (fromDescendants.get(parent) ?? 0) + nanos);
      parentId = records[parent]?.parentSpanId;
    }
  }
  const touched = new Set<number>(fromDescendants.keys());
  for (const index of added.keys()) if (results[index]?.subtreeNanos !== undefined) touched.add(index);
  for (const index of touched) {
    const result = results[index];
    if (result === undefined) continue;
    const subtree =
      (result.subtreeNanos ?? ownModelNanos(result)) + (added.get(index) ?? 0) + (fromDescendants.get(index) ?? 0);
    result.subtreeNanos = subtree;
    result.attributes[ATTR_COSTSPAN_COST_SUBTREE] = nanosToUsd(subtree);
  }
}

/** A span's own model cost as written (GPU share merged), in nano-units. */
function ownModelNanos(result: FragmentSpanResult): number {
  const annotation = result.annotation;
  if (annotation === undefined || annotation.outcome === 'duplicate') return 0;
  const written = result.attributes[ATTR_GEN_AI_USAGE_COST_AMOUNT];
  if (typeof written === 'number') return amountToNanos(written) ?? 0;
  return annotation.amountNanos ?? 0;
}

/** The pricer of the configuration's `costs` and `resources`, or undefined when it has neither. */
export function componentPricer(
  config: { costs?: CostRuleConfig[]; resources?: SharedResourceConfig[] },
  attribution: AttributionKeys | undefined,
): ComponentPricer | undefined {
  if ((config.costs?.length ?? 0) + (config.resources?.length ?? 0) === 0) return undefined;
  return new Pricer({ costs: config.costs, resources: config.resources, attribution });
}

/** The pipeline's sinks as the component stage uses them (a sink the collector does not provide drops nothing it needs). */
export function componentSinks(sinks: PipelineSinks): ComponentSinks {
  return {
    componentRows: (rows) => sinks.componentRows?.(rows),
    resourceWindows: (rows) => sinks.resourceWindows?.(rows),
    finalComponents: (finals) => sinks.finalComponents?.(finals),
  };
}
