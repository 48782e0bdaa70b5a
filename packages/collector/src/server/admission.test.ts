import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

describe('in-flight admission', () => {
  it('checks bytes and spans and reserves in one step, so concurrent requests cannot overshoot', () => {
    const admission = new Admission({ maxBytes: 100, maxSpans: 10 });
    const tickets = Array.from({ length: 64 }, () => admission.tryAdmit(30, 2)).filter((t) => t !== undefined);
    expect(tickets).toHaveLength(3); // 90 bytes; a fourth would make 120
    expect(admission.inFlightBytes).toBe(90);
    expect(admission.tryAdmit(5, 5)).toBeUndefined(); // spans: 6 + 5 > 10
    for (const t of tickets) admission.release(t);
    expect(admission.inFlightBytes).toBe(0);
    expect(admission.inFlightSpans).toBe(0);
  });

  it('admits a request bigger than the limit only when nothing else is in flight', () => {
    const admission = new Admission({ maxBytes: 100, maxSpans: 10 });
    const big = admission.tryAdmit(500, 50);
    expect(big).toBeDefined();
    expect(admission.tryAdmit(1, 1)).toBeUndefined();
    admission.release(big!);
    expect(admission.tryAdmit(1, 1)).toBeDefined();
  });
});
