import { microsToNanos, type NodeWindowRecord, type RequestWindowPart, type WindowClose } from '@costspan/allocation';
import { addWindowPart, emptyPartsSum, type GpuPartsSum } from '@costspan/core';
import type { NodeWindowRow } from './store/rows.js';

/** A request's final GPU figures once every window it touched has closed. Amounts in nano-dollars. */
export interface FinalAllocation {
  traceId: string;
  spanId: string;
  gpuNanos: number;
  idleNanos: number;
  overheadNanos: number;
  gpuSeconds: number;
}

export function windowRow(record: NodeWindowRecord): NodeWindowRow {
  return {
    node: record.nodeId,
    windowStart: record.windowStart,
    windowEnd: record.windowEnd,
    currency: record.currency,
    nodeCostNanos: microsToNanos(record.nodeCost),
    directCostNanos: microsToNanos(record.direct),
    idleCostNanos: microsToNanos(record.idle),
    idleSharedCostNanos: microsToNanos(record.idleShared),
    overheadCostNanos: microsToNanos(record.overhead),
    busySeconds: record.busyMs / 1000,
    utilization: record.utilization,
    requests: record.requests,
    method: record.method,
    idlePolicy: record.idlePolicy,
  };
}

/**
 * Sums the final window parts of each request (with the core's `addWindowPart`) until the window holding its end
 * has closed, then hands out its final figures. Memory holds only requests with an open window.
 */
export class FinalPartsAccumulator {
  private readonly pending = new Map<string, GpuPartsSum>();
  /** Requests by the start of the window holding their end. */
  private readonly byLastWindow = new Map<number, string[]>();

  /** Registers a request after `end()` with the parts already final; returns it at once when nothing is open. */
  track(requestId: string, parts: readonly RequestWindowPart[], lastWindowStart: number, allFinal: boolean) {
    const entry = emptyPartsSum();
    for (const part of parts) if (part.final) addWindowPart(entry, part);
    if (allFinal) return settled(requestId, entry);
    this.pending.set(requestId, entry);
    const list = this.byLastWindow.get(lastWindowStart);
    if (list) list.push(requestId);
    else this.byLastWindow.set(lastWindowStart, [requestId]);
    return undefined;
  }

  /** Applies closed windows (in order); returns the requests that became final. */
  apply(closes: readonly WindowClose[]): FinalAllocation[] {
    const out: FinalAllocation[] = [];
    for (const close of closes) {
      for (const part of close.requests) {
        const entry = this.pending.get(part.requestId);
        if (entry) addWindowPart(entry, part);
      }
      for (const [windowStart, ids] of this.byLastWindow) {
        if (windowStart > close.windowStart) continue;
        this.byLastWindow.delete(windowStart);
        for (const id of ids) {
          const entry = this.pending.get(id);
          if (!entry) continue;
          this.pending.delete(id);
          out.push(settled(id, entry));
        }
      }
    }
    return out;
  }

  get size(): number {
    return this.pending.size;
  }
}

function settled(requestId: string, entry: GpuPartsSum): FinalAllocation {
  return {
    traceId: requestId.slice(0, 32),
    spanId: requestId.slice(32),
    gpuNanos: microsToNanos(entry.direct),
    idleNanos: microsToNanos(entry.idleShare),
    overheadNanos: microsToNanos(entry.overhead),
    gpuSeconds: entry.seconds,
  };
}
