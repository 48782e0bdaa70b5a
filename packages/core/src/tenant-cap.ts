/** The value metrics report for tenants beyond the cap. */
export const OVERFLOW_TENANT = 'other';

/**
 * Bounds the number of distinct tenant values in metric attributes: the first `max` tenants seen keep their
 * value, later ones are reported as `other`. Span attributes always keep the real tenant.
 */
export class TenantCap {
  readonly #max: number;
  readonly #seen = new Set<string>();

  constructor(max = 100) {
    this.#max = Number.isInteger(max) && max >= 0 ? max : 100;
  }

  map(tenant: string): string {
    if (this.#seen.has(tenant)) return tenant;
    if (this.#seen.size >= this.#max) return OVERFLOW_TENANT;
    this.#seen.add(tenant);
    return tenant;
  }
}
