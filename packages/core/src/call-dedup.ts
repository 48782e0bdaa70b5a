import { AgedMap, type WindowOptions } from './aged-map.js';
import type { AnnotateContext, CostAnnotation, CostCore } from './cost-core.js';
import type { SpanRecord } from './record.js';
import type { TwinCallWindow } from './twin-calls.js';

export type { WindowOptions } from './aged-map.js';

/**
 * The provider response ids (`chatcmpl-…`, `msg_…`, `resp_…`) of spans that carry a call's price, for a bounded
 * time: a later span with the same id is the same call (another instrumentation's span, possibly in another
 * trace, as with the Anthropic SDK's `messages.stream()`) and is a `duplicate` of the first. Bounded by size and
 * age (oldest first); what it drops is counted through `onEvict`.
 */
export class ResponseIdWindow {
  readonly #claims: AgedMap<string>;
  /** The response id `claimedBy` last found absent (cleared by `claim`): its claim needs no replacing lookup. */
  #absent: string | undefined;

  constructor(options: WindowOptions = {}) {
    this.#claims = new AgedMap<string>(options, 600_000);
  }

  get size(): number {
    return this.#claims.size;
  }

  /** The span that already carries the call with this response id, if another one does. */
  claimedBy(responseId: string, spanId: string): string | undefined {
    const claimant = this.#claims.get(responseId);
    this.#absent = claimant === undefined ? responseId : undefined;
    return claimant === spanId ? undefined : claimant;
  }

  /** Records that `spanId` carries the price of the call with this response id. */
  claim(responseId: string, spanId: string): void {
    const absent = this.#absent === responseId;
    this.#absent = undefined;
    if (absent) this.#claims.insertAbsent(responseId, spanId);
    else this.#claims.set(responseId, spanId);
  }
}

/** Outcomes that carry (or account for) a call's price, and so claim its response id. */
function claims(annotation: CostAnnotation): boolean {
  const o = annotation.outcome;
  if (o === 'priced' || o === 'partial' || o === 'provider' || o === 'external') return true;
  // An unpriced span with token counts is the call's record too (unknown model); one without usage is not: a
  // later span of the same call with usage still gets priced.
  return o === 'unpriced' && annotation.usage.hasTokens;
}

/**
 * Prices one span with one price per call: `core.annotate`, then, when the span names a provider response id,
 * the window decides. A span whose id another span already claimed is re-annotated as a `duplicate` of it; a span
 * that carries the price claims its id. With `twins`, a span priced from token counts that no other rule linked
 * is matched against recent spans of other producers (see `TwinCallWindow`). Spans without a span id are
 * annotated as they are.
 */
export function annotateOnce(
  core: CostCore,
  record: SpanRecord,
  context: AnnotateContext | undefined,
  window: ResponseIdWindow | undefined,
  twins?: TwinCallWindow,
): CostAnnotation | undefined {
  const annotation = core.annotate(record, context);
  if (annotation === undefined || record.spanId === undefined) return annotation;
  if (annotation.outcome === 'duplicate') {
    // The span carrying the price has its twin (this one): it matches no other span across traces.
    if (twins !== undefined && context?.duplicateOf !== undefined) {
      twins.linked(context.duplicateOf, record.spanId);
    }
    return annotation;
  }
  const id = window === undefined ? undefined : annotation.usage.responseId;
  if (window !== undefined && id !== undefined) {
    // Priced upstream (costspan in the process, then this collector): it carries the call's price; claim, keep.
    if (annotation.outcome === 'existing') {
      if (annotation.amountNanos !== undefined && window.claimedBy(id, record.spanId) === undefined) {
        window.claim(id, record.spanId);
      }
      return annotation;
    }
    const first = window.claimedBy(id, record.spanId);
    if (first !== undefined) {
      twins?.linked(first, record.spanId);
      return core.annotate(record, { ...context, duplicateOf: first });
    }
  }
  const o = annotation.outcome;
  if (twins !== undefined && (o === 'priced' || o === 'partial' || o === 'unpriced')) {
    const twin = twins.decide(record, annotation.usage);
    if (twin !== undefined) return core.annotate(record, { ...context, duplicateOf: twin });
  }
  if (window !== undefined && id !== undefined && claims(annotation)) window.claim(id, record.spanId);
  return annotation;
}
