import type { FinalAllocation } from './gpu-stage-state.js';
import type { OtlpTraceRequest } from './otlp/model.js';
import type { SpanRef } from './otlp/spans.js';
import type { ComponentSpanRow, FinalComponent, ResourceWindowRow } from './store/component-rows.js';
import type { InferenceSpanRow, NodeWindowRow } from './store/rows.js';

/** One received request travelling through the pipeline. Stages annotate `request` in place. */
export interface PipelineBatch {
  readonly request: OtlpTraceRequest;
  readonly spans: readonly SpanRef[];
  /** ms since the epoch. */
  readonly receivedAt: number;
  /** Store rows of the batch's inference spans, added by the cost stage. */
  readonly rows: InferenceSpanRow[];
  priced: number;
  unpriced: number;
  /** Entries the cost stage's one-price-per-call windows dropped while processing the batch. */
  dedupEvicted?: number;
}

/** A step between the receiver and the exporters (the seam where the cost core plugs in). */
export interface PipelineStage {
  readonly name: string;
  /** Synchronous, must not throw for any input (the collector still guards it). */
  process(batch: PipelineBatch): void;
  /** Called periodically with the wall clock: close what a quiet period has made final. */
  tick?(nowMs: number): void;
  /** Shutdown: close whatever is open (allocation windows) and hand out the final records. */
  flush?(): void;
}

/** Where stages hand records that are not spans (closed allocation windows). */
export interface PipelineSinks {
  windows(rows: NodeWindowRow[]): void;
  /** Requests whose GPU allocation became final after they were exported (their store rows are updated). */
  finalAllocations(finals: FinalAllocation[]): void;
  /** Non-model spans priced by a cost rule or resource share (`component_spans`). */
  componentRows?(rows: ComponentSpanRow[]): void;
  /** Closed windows of shared resources (`resource_windows`). */
  resourceWindows?(rows: ResourceWindowRow[]): void;
  /** Resource shares whose windows closed after their row was stored (their `component_spans` rows are updated). */
  finalComponents?(finals: FinalComponent[]): void;
  /** A caught internal failure, reported once per kind. */
  error(where: string, error: unknown): void;
}
