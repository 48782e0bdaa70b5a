import { type AllocationUsage, GpuAllocator, resolveGpuConfig } from '@costspan/allocation';
import { attributionKeys, type ConfigProblem, parseSharedConfig } from '@costspan/config';
import {
  annotateFragment,
  type CostCore,
  createCostCore,
  type GpuShare,
  gpuShareAtEnd,
  mergeFragmentGpuShares,
  ResponseIdWindow,
  type SpanRecord,
  TraceCallWindow,
  TwinCallWindow,
} from '@costspan/core';
import { createPriceBook } from '@costspan/pricing';
import {
  ATTR_COSTSPAN_COST_GPU,
  ATTR_COSTSPAN_PRICING_STATUS,
  COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE,
  COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL,
  COSTSPAN_PRICING_STATUS_VALUE_PARTIAL,
  COSTSPAN_PRICING_STATUS_VALUE_PRICED,
} from '@costspan/semconv';
import { ComponentStage, componentPricer, componentSinks } from './component-stage.js';
import { CollectorConfigError } from './config-error.js';
import { FinalPartsAccumulator, windowRow } from './gpu-stage-state.js';
import {
  attributesToPlain,
  longToNumber,
  type PlainAttributes,
  type PlainValue,
  writeAttributes,
} from './otlp/attributes.js';
import type { OtlpKeyValue } from './otlp/model.js';
import type { PipelineBatch, PipelineSinks, PipelineStage } from './pipeline.js';
import { spanRow } from './store/span-row.js';
import type { CollectorConfig } from './types.js';

/** Attributes written as OTLP integers (everything else numeric is a double). */
const INT_KEYS: ReadonlySet<string> = new Set<string>();

/**
 * The collector's cost pipeline as one stage: decoded spans → the processor's cost core (normalization of every
 * dialect, pricing, attribution, subtree cost over the received fragment) → GPU node allocation from
 * @costspan/allocation (nodes matched from span and resource attributes) → attributes written back into the
 * OTLP spans and store rows. Validates the shared sections (`prices`, `gpu`, `attribution`, `compat`) with
 * @costspan/config, also when the configuration was built in code, so a bad configuration fails at start with
 * a CollectorConfigError listing every problem.
 */
export function costStages(config: CollectorConfig): ((sinks: PipelineSinks) => PipelineStage[]) | undefined {
  if (!config.costing) return undefined;
  const problems: ConfigProblem[] = [];
  const shared = parseSharedConfig(
    { prices: config.prices, gpu: config.gpu, attribution: config.attribution, compat: config.compat },
    problems,
    { baseDir: process.cwd() },
  );
  if (problems.length > 0) throw new CollectorConfigError(problems);
  // A prices file is handed over by path, so the price book records its name in each price's source.
  const prices = shared.prices === undefined ? {} : { overrides: shared.prices.file ?? shared.prices.overrides };
  const priceBook = createPriceBook(prices);
  const gpu = shared.gpu === undefined ? undefined : resolveGpuConfig(shared.gpu);
  const core = createCostCore({
    priceBook,
    compat: shared.compat ?? [],
    attribution: attributionKeys(shared.attribution),
  });
  const components = componentPricer(config, core.attribution);
  return (sinks) => [
    new CostStage(
      core,
      gpu ? new GpuAllocator(gpu) : undefined,
      config.windowGraceMs,
      sinks,
      config.nodeRecords,
      config.store !== undefined || config.debug !== undefined || (config.budgets?.length ?? 0) > 0,
      components && new ComponentStage(components, componentSinks(sinks), config.windowGraceMs),
    ),
  ];
}

export class CostStage implements PipelineStage {
  readonly name = 'costspan';
  private readonly finals = new FinalPartsAccumulator();
  private readonly windowMs: number;
  /** Nodes this collector has allocated requests to (for `nodeRecords: 'seen'`). */
  private readonly seenNodes = new Set<string>();
  /** Entries the windows below dropped since the last batch was counted. */
  private evicted = 0;
  /**
   * One price per call across requests: provider response ids of the calls priced recently, recent model-call
   * spans by trace (spans of one call split across requests), recent calls for the cross-trace twin rule.
   */
  private readonly windows = {
    responseIds: new ResponseIdWindow({ onEvict: (n) => this.#evicted(n) }),
    traceCalls: new TraceCallWindow({ onEvict: (n) => this.#evicted(n) }),
    twins: new TwinCallWindow({ onEvict: (n) => this.#evicted(n) }),
  };

  constructor(
    private readonly core: CostCore,
    private readonly allocator: GpuAllocator | undefined,
    private readonly graceMs: number,
    private readonly sinks: PipelineSinks,
    private readonly nodeRecords: 'all' | 'seen' = 'all',
    /** Build store rows (only when a store or a detailed debug exporter reads them). */
    private readonly storeRows = true,
    /** `costs:` rules and `resources:` shares for the spans around the model. */
    private readonly components: ComponentStage | undefined = undefined,
  ) {
    this.windowMs = allocator?.config.windowMs ?? 60_000;
  }

  process(batch: PipelineBatch): void {
    const resources = new Map<OtlpKeyValue[], PlainAttributes>();
    const records: SpanRecord[] = [];
    for (const ref of batch.spans) {
      let resource = resources.get(ref.resourceAttributes);
      if (!resource) {
        resource = attributesToPlain(ref.resourceAttributes);
        resources.set(ref.resourceAttributes, resource);
      }
      const attributes = attributesToPlain(ref.span.attributes);
      records.push({
        name: ref.span.name ?? '',
        kind: typeof ref.span.kind === 'number' ? Math.max(0, ref.span.kind - 1) : undefined,
        attributes,
        resourceAttributes: resource,
        startTimeMs: longToNumber(ref.span.startTimeUnixNano) / 1e6,
        endTimeMs: longToNumber(ref.span.endTimeUnixNano) / 1e6,
        traceId: ref.traceId,
        spanId: ref.spanId,
        parentSpanId: ref.parentSpanId || undefined,
      });
    }
    const results = annotateFragment(this.core, records, this.windows);
    if (this.evicted > 0) {
      batch.dedupEvicted = (batch.dedupEvicted ?? 0) + this.evicted;
      this.evicted = 0;
    }
    const gpu = this.allocateBatch(batch, records, results);
    if (gpu) mergeFragmentGpuShares(results, gpu);
    this.components?.apply(batch.spans, records, results);
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!;
      const annotation = result.annotation;
      if (!annotation && result.subtreeNanos === undefined) continue;
      const ref = batch.spans[i]!;
      const record = records[i]!;
      const written: Record<string, PlainValue> = result.attributes as Record<string, PlainValue>;
      const status = annotation
        ? (written[ATTR_COSTSPAN_PRICING_STATUS] ?? record.attributes[ATTR_COSTSPAN_PRICING_STATUS])
        : undefined;
      if (annotation) {
        if (
          status === COSTSPAN_PRICING_STATUS_VALUE_PRICED ||
          status === COSTSPAN_PRICING_STATUS_VALUE_PARTIAL ||
          status === COSTSPAN_PRICING_STATUS_VALUE_EXTERNAL
        )
          batch.priced++;
        else if (status !== undefined && status !== COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE) batch.unpriced++;
      }
      if (!ref.span.attributes) ref.span.attributes = [];
      writeAttributes(ref.span.attributes, written, INT_KEYS);
      // A duplicate's usage is its call's, stored once with the span that carries the price (also when an
      // in-process costspan marked it upstream).
      if (annotation && this.storeRows && status !== COSTSPAN_PRICING_STATUS_VALUE_DUPLICATE) {
        const row = spanRow(ref, result);
        if (row) batch.rows.push(row);
      }
    }
    if (this.allocator) {
      const latest = this.allocator.latestTimestamp;
      if (latest !== undefined) this.close(this.allocator.closeWindows(latest - this.graceMs));
    }
  }

  #evicted(n: number): void {
    this.evicted += n;
  }

  /** Closes windows whose span time is older than the wall clock minus the grace period (quiet periods). */
  tick(nowMs: number = Date.now()): void {
    this.components?.tick(nowMs);
    if (this.allocator) this.close(this.allocator.closeWindows(nowMs - this.graceMs));
  }

  flush(): void {
    this.components?.flush();
    if (this.allocator) this.close(this.allocator.closeAll());
  }

  /**
   * Feeds the batch's GPU requests to the allocator as start and end events in time order, so concurrency within
   * a batch is exact at once; requests that overlap earlier batches are made exact when their windows close.
   */
  private allocateBatch(
    batch: PipelineBatch,
    records: readonly SpanRecord[],
    results: ReturnType<typeof annotateFragment>,
  ): Map<number, GpuShare> | undefined {
    const allocator = this.allocator;
    if (!allocator) return undefined;
    interface Job {
      index: number;
      id: string;
      node: string;
      start: number;
      end: number;
      tokens: AllocationUsage | undefined;
    }
    const jobs: Job[] = [];
    for (let i = 0; i < results.length; i++) {
      const annotation = results[i]!.annotation;
      // A duplicate is not a request of its own: the span carrying its call's price takes the GPU share.
      if (!annotation || annotation.outcome === 'duplicate') continue;
      const record = records[i]!;
      // Allocated once: a span that already carries a GPU share (from an in-process CostSpanProcessor with `gpu`,
      // or another collector) keeps it. Spans priced upstream without one get theirs here.
      if (record.attributes[ATTR_COSTSPAN_COST_GPU] !== undefined) continue;
      const node = allocator.matchNode(record.attributes, record.resourceAttributes);
      const start = record.startTimeMs ?? Number.NaN;
      if (node === undefined || !Number.isFinite(start)) continue;
      this.seenNodes.add(node);
      const ref = batch.spans[i]!;
      const end = Math.max(start, Number.isFinite(record.endTimeMs) ? (record.endTimeMs as number) : start);
      jobs.push({
        index: i,
        id: ref.traceId + ref.spanId,
        node,
        start,
        end,
        tokens: annotation.usage,
      });
    }
    if (jobs.length === 0) return undefined;
    const events: Array<{ at: number; end: boolean; job: Job }> = [];
    for (const job of jobs) events.push({ at: job.start, end: false, job }, { at: job.end, end: true, job });
    events.sort((x, y) => x.at - y.at || Number(x.end) - Number(y.end));
    const out = new Map<number, GpuShare>();
    for (const { end, job } of events) {
      if (!end) {
        allocator.start(job.id, job.node, job.start);
        continue;
      }
      const allocation = allocator.end(job.id, job.end, job.tokens);
      if (!allocation) continue;
      const lastWindowStart = Math.floor(allocation.end / this.windowMs) * this.windowMs;
      const done = this.finals.track(job.id, allocation.parts, lastWindowStart, allocation.final);
      if (done) this.sinks.finalAllocations([done]);
      out.set(job.index, gpuShareAtEnd(allocator, allocation, job.tokens, undefined));
    }
    return out;
  }

  private close(closes: ReturnType<GpuAllocator['closeWindows']>): void {
    if (closes.length === 0) return;
    const rows = closes.flatMap((c) =>
      c.nodes.filter((n) => this.nodeRecords === 'all' || this.seenNodes.has(n.nodeId)).map(windowRow),
    );
    this.sinks.windows(rows);
    const finals = this.finals.apply(closes);
    if (finals.length > 0) this.sinks.finalAllocations(finals);
  }
}
