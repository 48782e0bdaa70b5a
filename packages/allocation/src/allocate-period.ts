import { methodWeight } from './request-weight.js';
import { toUs } from './time-scale.js';
import type { RequestInterval, ResolvedGpuConfig, WindowClose } from './types.js';
import { allocateWindow, type NodeWindowInput, type WindowRequest } from './window-allocate.js';

export interface AllocatePeriodOptions {
  /** Start of the period, ms; rounded down to a window boundary. */
  from: number;
  /** End of the period, ms; rounded up to a window boundary. */
  to: number;
  /** Billing start of nodes without their own `startTime`, ms. Default: `from` rounded down to a window. */
  startTime?: number;
}

/**
 * The batch path (the collector's door, or any after-the-fact computation): allocates every window of
 * [from, to) on every node from a set of finished (or still open) request intervals, in any order. Gives the
 * same records as the streaming `GpuAllocator` fed the same requests in time order.
 * Requests on unknown nodes are ignored; an end before its start is treated as an instant request.
 */
export function allocatePeriod(
  config: ResolvedGpuConfig,
  requests: readonly RequestInterval[],
  options: AllocatePeriodOptions,
): WindowClose[] {
  const windowUs = config.windowMs * 1000;
  const firstUs = Math.floor(toUs(options.from) / windowUs) * windowUs;
  const lastUs = Math.ceil(toUs(options.to) / windowUs) * windowUs;
  const defaultOrigin = options.startTime === undefined ? firstUs : toUs(options.startTime);
  const perWindow = new Map<number, Map<string, WindowRequest[]>>();
  const nodeIds = new Set(config.nodes.map((n) => n.id));
  for (const interval of requests) {
    if (!nodeIds.has(interval.nodeId)) continue;
    const startUs = toUs(interval.start);
    const endUs = interval.end === undefined ? undefined : Math.max(startUs, toUs(interval.end));
    const request: WindowRequest = {
      id: interval.id,
      startUs,
      endUs,
      weight: methodWeight(config, interval.usage),
      weightFromUs: startUs,
    };
    const fromWindow = Math.max(firstUs, Math.floor(startUs / windowUs) * windowUs);
    const untilUs = Math.min(lastUs, endUs === undefined ? lastUs : endUs + 1);
    for (let w = fromWindow; w < untilUs; w += windowUs) {
      let byNode = perWindow.get(w);
      if (!byNode) {
        byNode = new Map();
        perWindow.set(w, byNode);
      }
      let list = byNode.get(interval.nodeId);
      if (!list) {
        list = [];
        byNode.set(interval.nodeId, list);
      }
      list.push(request);
    }
  }
  const closes: WindowClose[] = [];
  for (let w = firstUs; w < lastUs; w += windowUs) {
    const byNode = perWindow.get(w);
    const inputs: NodeWindowInput[] = config.nodes.map((node) => ({
      node,
      originUs: node.startUs ?? defaultOrigin,
      requests: byNode?.get(node.id) ?? [],
    }));
    closes.push(allocateWindow(config, w, inputs));
  }
  return closes;
}
