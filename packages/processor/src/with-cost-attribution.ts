import { ATTR_COSTSPAN_FEATURE, ATTR_COSTSPAN_TENANT } from '@costspan/semconv';
import { context, propagation } from '@opentelemetry/api';

export interface CostAttribution {
  /** The product feature or endpoint, e.g. `summarize`. */
  feature?: string;
  /** The customer or tenant, e.g. `acme`. */
  tenant?: string;
}

/**
 * Runs `fn` with W3C baggage entries `costspan.feature` / `costspan.tenant` set, so every span started inside
 * — in this process, and in downstream services the trace context propagates to — is attributed to them.
 */
export function withCostAttribution<T>(attribution: CostAttribution, fn: () => T): T {
  let baggage = propagation.getActiveBaggage() ?? propagation.createBaggage();
  if (attribution.feature !== undefined && attribution.feature !== '') {
    baggage = baggage.setEntry(ATTR_COSTSPAN_FEATURE, { value: attribution.feature });
  }
  if (attribution.tenant !== undefined && attribution.tenant !== '') {
    baggage = baggage.setEntry(ATTR_COSTSPAN_TENANT, { value: attribution.tenant });
  }
  return context.with(propagation.setBaggage(context.active(), baggage), fn);
}
