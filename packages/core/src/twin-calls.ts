import { AgedMap, type WindowOptions } from './aged-map.js';
import type { InferenceUsage } from './inference-usage.js';
import type { SpanRecord } from './record.js';

/** How far one span's start or end may lie outside the other's and still count as the same call (ms). */
export const TWIN_TOLERANCE_MS = 100;

/** Candidates of each other dialect looked at per span, newest first (bounds the work per span). */
export const TWIN_SCAN = 64;

interface TwinEntry {
  key: string;
  /** Set when the entry enters the signature index (built once a second dialect is seen). */
  signature: string | undefined;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  spanId: string;
  dialect: string;
  requestModel: string | undefined;
  model: string | undefined;
  resource: string;
  startMs: number;
  endMs: number;
  since: number;
  /** The span that was found to be this one's twin (a `duplicate` of it): one twin per span. */
  absorbedBy: string | undefined;
}

/** One producer's entries of one signature, in decision order; the oldest leave from `head`. */
interface TwinList {
  items: TwinEntry[];
  head: number;
}

/**
 * One call recorded by two producers that cannot be linked otherwise (with `@anthropic-ai/sdk`'s
 * `messages.stream()` the SDK's span and an instrumentation's span are roots of two traces, and neither carries
 * the provider's response id). Two model-call spans are the same call when ALL hold:
 * - different dialects (producers): one producer's spans are never matched with each other;
 * - the same provider, and the same request model when both spans name one, else a model one span names (request
 *   or response) named by the other too;
 * - identical normalized token counts: input, output, cache read, cache write;
 * - the same resource (every resource attribute equal: one process of one service);
 * - the two intervals overlap, and one lies inside the other within `TWIN_TOLERANCE_MS` (100 ms) at each end;
 * - the first was decided less than `maxAgeMs` ago (window bounded by size and age, drops counted).
 * The later-decided span is a `duplicate` of the earlier one. One-to-one: a span absorbs at most one twin, so
 * two distinct identical calls through a doubly instrumented client still carry two prices in all.
 */
export class TwinCallWindow {
  readonly #entries: AgedMap<TwinEntry>;
  /** Entries by signature, then by dialect, in decision order. */
  readonly #bySignature = new Map<string, Map<string, TwinList>>();
  /**
   * The dialect of every entry while the window has seen only one: no entry can then be a twin of a span of that
   * dialect, so the signature index (a key string and three containers per call) is only built, from the live
   * entries in decision order, when a span of a second dialect arrives. Most processes run one producer.
   */
  #onlyDialect: string | undefined;
  #indexed = false;
  /** Span id of a span found a twin → the span id it is a duplicate of (for a retried export of it). */
  readonly #absorbed = new Map<string, string>();
  readonly #maxAgeMs: number;

  constructor(options: WindowOptions = {}) {
    this.#maxAgeMs = positive(options.maxAgeMs, 600_000);
    this.#entries = new AgedMap<TwinEntry>({ ...options, maxAgeMs: this.#maxAgeMs }, this.#maxAgeMs, (_key, entry) =>
      this.#remove(entry),
    );
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The span id this span is a twin (duplicate) of, or `undefined`; when `undefined`, the span is entered as a
   * call that a later twin may match. The same span seen again (a retried export) gets the same answer. Looks at
   * most `TWIN_SCAN` recent candidates of each other dialect.
   */
  decide(record: SpanRecord, usage: InferenceUsage): string | undefined {
    const spanId = record.spanId;
    const start = record.startTimeMs;
    const end = record.endTimeMs;
    if (spanId === undefined || start === undefined || end === undefined) return undefined;
    if (!Number.isFinite(start) || !Number.isFinite(end) || !usage.hasTokens) return undefined;
    if (usage.provider === undefined || (usage.requestModel === undefined && usage.model === undefined)) {
      return undefined;
    }
    const again = this.#absorbed.get(spanId);
    if (again !== undefined) return again;
    if (this.#entries.has(spanId)) return undefined;
    const now = this.#entries.now();
    const resource = resourceKey(record.resourceAttributes);
    const entry: TwinEntry = {
      key: spanId,
      signature: undefined,
      provider: usage.provider,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      spanId,
      dialect: usage.dialect,
      requestModel: usage.requestModel,
      model: usage.model,
      resource,
      startMs: start,
      endMs: end,
      since: now,
      absorbedBy: undefined,
    };
    if (!this.#indexed) {
      if (this.#onlyDialect === undefined || this.#onlyDialect === usage.dialect || this.#entries.size === 0) {
        // Every entry is of this span's dialect: none is its twin.
        this.#onlyDialect = usage.dialect;
        this.#entries.insertAbsent(spanId, entry, now);
        return undefined;
      }
      this.#buildIndex();
    }
    const signature = signatureOf(entry);
    entry.signature = signature;
    const byDialect = this.#bySignature.get(signature);
    if (byDialect !== undefined) {
      for (const [dialect, list] of byDialect) {
        if (dialect === usage.dialect) continue;
        for (let i = list.items.length - 1, seen = 0; i >= list.head && seen < TWIN_SCAN; i--, seen++) {
          const c = list.items[i] as TwinEntry;
          if (c.absorbedBy !== undefined || now - c.since > this.#maxAgeMs || c.resource !== resource) continue;
          if (!sameModel(c, usage) || !nested(c.startMs, c.endMs, start, end)) continue;
          c.absorbedBy = spanId;
          this.#absorbed.set(spanId, c.spanId);
          return c.spanId;
        }
      }
    }
    this.#add(entry, byDialect);
    return undefined;
  }

  /** Enters every live entry, in decision order, into the signature index. */
  #buildIndex(): void {
    this.#indexed = true;
    this.#entries.forEachValue((entry) => {
      entry.signature = signatureOf(entry);
      this.#index(entry, this.#bySignature.get(entry.signature));
    });
  }

  /**
   * Another rule (nesting, response id) found a duplicate of this span: it has its twin, and absorbs no other one.
   */
  linked(spanId: string, by: string): void {
    const entry = this.#entries.peek(spanId);
    if (entry !== undefined && entry.absorbedBy === undefined) entry.absorbedBy = by;
  }

  #add(entry: TwinEntry, known: Map<string, TwinList> | undefined): void {
    // Drops (age, size) come first, through #remove; `known` may be emptied and deleted by them.
    // `decide` found the span id absent, and nothing entered it since.
    this.#entries.insertAbsent(entry.key, entry, entry.since);
    this.#index(entry, known);
  }

  #index(entry: TwinEntry, known: Map<string, TwinList> | undefined): void {
    const signature = entry.signature as string;
    let byDialect = known !== undefined && this.#bySignature.get(signature) === known ? known : undefined;
    if (byDialect === undefined) {
      byDialect = this.#bySignature.get(signature);
      if (byDialect === undefined) {
        byDialect = new Map();
        this.#bySignature.set(signature, byDialect);
      }
    }
    const list = byDialect.get(entry.dialect);
    if (list === undefined) byDialect.set(entry.dialect, { items: [entry], head: 0 });
    else list.items.push(entry);
  }

  /** Drops an entry the window let go: the oldest of its list (entries leave in decision order). */
  #remove(entry: TwinEntry): void {
    if (entry.absorbedBy !== undefined) this.#absorbed.delete(entry.absorbedBy);
    if (entry.signature === undefined) return;
    const byDialect = this.#bySignature.get(entry.signature);
    const list = byDialect?.get(entry.dialect);
    if (byDialect === undefined || list === undefined) return;
    if (list.items[list.head] === entry) {
      list.head++;
    } else {
      const at = list.items.indexOf(entry, list.head);
      if (at >= 0) list.items.splice(at, 1);
    }
    if (list.head >= list.items.length) {
      byDialect.delete(entry.dialect);
      if (byDialect.size === 0) this.#bySignature.delete(entry.signature);
    } else if (list.head > 64 && list.head * 2 > list.items.length) {
      list.items = list.items.slice(list.head);
      list.head = 0;
    }
  }
}

/** Provider and normalized token counts: twins have the same. */
function signatureOf(e: TwinEntry): string {
  return `${e.provider}\u0000${e.inputTokens}\u0000${e.outputTokens}\u0000${e.cacheReadTokens}\u0000${e.cacheWriteTokens}`;
}

/**
 * Both name a request model: the same one. Otherwise (OpenInference's `llm.model_name` is the only model its span
 * names, request or response): a model one span names is a model the other names.
 */
function sameModel(entry: TwinEntry, usage: InferenceUsage): boolean {
  if (entry.requestModel !== undefined && usage.requestModel !== undefined) {
    return entry.requestModel === usage.requestModel;
  }
  const a = [entry.requestModel, entry.model];
  const b = [usage.requestModel, usage.model];
  return a.some((m) => m !== undefined && b.includes(m));
}

const resourceKeys = new WeakMap<object, string>();

/** Every resource attribute, in key order, as one string; cached per resource object (one per process). */
function resourceKey(attributes: SpanRecord['resourceAttributes']): string {
  if (attributes === undefined) return '';
  const cached = resourceKeys.get(attributes);
  if (cached !== undefined) return cached;
  const key = Object.keys(attributes)
    .sort()
    .map((k) => `${k}=${String(attributes[k])}`)
    .join('\n');
  resourceKeys.set(attributes, key);
  return key;
}

/**
 * How far apart two intervals may be and still count as overlapping: the SDK records a span's start from a
 * millisecond clock and its end with sub-millisecond precision, so a span that started inside another can appear
 * to start just after the other ended.
 */
const CLOCK_GRANULARITY_MS = 1;

/** The intervals overlap, and one lies inside the other within the tolerance at each end. */
function nested(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const g = CLOCK_GRANULARITY_MS;
  if (!(aStart <= bEnd + g && bStart <= aEnd + g)) return false;
  const t = TWIN_TOLERANCE_MS;
  return (
    (bStart >= aStart - t && bEnd <= aEnd + t) || // b inside a
    (aStart >= bStart - t && aEnd <= bEnd + t) // a inside b
  );
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
