import { parseDecimalToNanos } from '@costspan/pricing';
import { DEFAULT_TARGET_MARGIN, type PriceFloorOptions } from '@costspan/reporting';
import { UsageError } from '../command.js';

/** `--target-margin` (30% or 0.3; default 30 %), `--cap-requests N` or `--cap-spend USD` of `costspan report`. */
export function floorOptions(
  values: Record<string, unknown>,
): Pick<PriceFloorOptions, 'targetMargin' | 'capRequests' | 'capSpendNanos'> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const margin = text('target-margin');
  let targetMargin = DEFAULT_TARGET_MARGIN;
  if (margin !== undefined) {
    const percent = margin.endsWith('%');
    const n = Number(percent ? margin.slice(0, -1) : margin);
    if (!/^\d+(\.\d+)?%?$/.test(margin) || !Number.isFinite(n)) {
      throw new UsageError(`--target-margin must be a percentage such as 30% or a fraction such as 0.3; got ${margin}`);
    }
    targetMargin = percent ? n / 100 : n;
  }
  const requests = text('cap-requests');
  const spend = text('cap-spend');
  if (requests !== undefined && spend !== undefined)
    throw new UsageError('give --cap-requests or --cap-spend, not both');
  const out: Pick<PriceFloorOptions, 'targetMargin' | 'capRequests' | 'capSpendNanos'> = { targetMargin };
  if (requests !== undefined) {
    if (!/^\d+$/.test(requests) || Number(requests) <= 0 || !Number.isSafeInteger(Number(requests))) {
      throw new UsageError(`--cap-requests must be a positive integer; got ${requests}`);
    }
    out.capRequests = Number(requests);
  }
  if (spend !== undefined) {
    let nanos: bigint;
    try {
      nanos = parseDecimalToNanos(spend);
    } catch {
      throw new UsageError(`--cap-spend must be USD, e.g. 25 or 12.50; got ${spend}`);
    }
    if (nanos <= 0n) throw new UsageError('--cap-spend must be positive');
    out.capSpendNanos = nanos;
  }
  return out;
}
