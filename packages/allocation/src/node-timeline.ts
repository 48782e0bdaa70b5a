import { segmentShare } from './time-scale.js';

/**
 * The streaming time-share integral of one node: V, the cost-free integral of 1/N(t) in units of 1/K µs,
 * reset at every window boundary, and U, the integral of N(t) (for mean concurrency). Each start or end
 * advances it in O(1): a request's share over a window is V(its end) − V(its start), as in a fair-share
 * scheduler's virtual time. Events must come in time order; the caller clamps late ones.
 */
export class NodeTimeline {
  /** Current window start, µs. */
  windowStartUs: number;
  /** Time of the last advance, µs. */
  lastUs: number;
  /** Requests in flight. */
  inFlight = 0;
  /** V within the current window. */
  v = 0;
  /** ∫ N dt since the node's origin, µs·requests (a double: it only feeds the reported mean). */
  u = 0;
  /** V at the end of windows that ended while requests were in flight (dropped when the window closes). */
  readonly windowEndV = new Map<number, number>();
  private readonly windowUs: number;
  private readonly scale: number;

  constructor(originUs: number, windowMs: number, scale: number) {
    this.windowUs = windowMs * 1000;
    this.scale = scale;
    this.windowStartUs = Math.floor(originUs / this.windowUs) * this.windowUs;
    this.lastUs = originUs;
  }

  /** Advances to `t` (≥ lastUs), crossing window boundaries. */
  advance(t: number): void {
    const windowUs = this.windowUs;
    while (t >= this.windowStartUs + windowUs) {
      if (this.inFlight === 0) {
        this.windowStartUs = Math.floor(t / windowUs) * windowUs;
        this.lastUs = this.windowStartUs;
        this.v = 0;
        break;
      }
      const boundary = this.windowStartUs + windowUs;
      this.accrue(boundary);
      this.windowEndV.set(this.windowStartUs, this.v);
      this.v = 0;
      this.windowStartUs = boundary;
    }
    this.accrue(t);
  }

  private accrue(t: number): void {
    const dt = t - this.lastUs;
    if (dt > 0 && this.inFlight > 0) {
      this.v += segmentShare(dt, this.scale, this.inFlight);
      this.u += dt * this.inFlight;
    }
    if (t > this.lastUs) this.lastUs = t;
  }
}
