/**
 * In-flight admission: the bytes and spans of requests the collector is handling (admitted, not yet answered)
 * are bounded. `tryAdmit` checks both limits and reserves in one synchronous step, so any number of concurrent
 * senders cannot push the total past the limits; a request too big for an idle collector is still admitted
 * alone, so it is never refused forever.
 */
export interface AdmissionLimits {
  maxBytes: number;
  maxSpans: number;
}

export interface AdmissionTicket {
  readonly bytes: number;
  readonly spans: number;
}

export class Admission {
  private bytes = 0;
  private spans = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  /** Reserves room for a request; undefined when it does not fit now (answer 503 with Retry-After). */
  tryAdmit(bytes: number, spans: number): AdmissionTicket | undefined {
    const idle = this.bytes === 0 && this.spans === 0;
    if (!idle && (this.bytes + bytes > this.limits.maxBytes || this.spans + spans > this.limits.maxSpans)) {
      return undefined;
    }
    this.bytes += bytes;
    this.spans += spans;
    return { bytes, spans };
  }

  release(ticket: AdmissionTicket): void {
    this.bytes -= ticket.bytes;
    this.spans -= ticket.spans;
  }

  get inFlightBytes(): number {
    return this.bytes;
  }

  get inFlightSpans(): number {
    return this.spans;
  }
}
