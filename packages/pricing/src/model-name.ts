/**
 * Model-name clean-up before catalog matching (part of the documented patch layer; the catalog itself already
 * handles case, `-latest`, and `-20250514` ↔ `-2025-05-14`).
 */

/** Google resource names: `models/gemini-2.5-flash`, `publishers/google/models/…`, `projects/p/locations/l/publishers/google/models/…`. */
const GOOGLE_RESOURCE = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?(?:publishers\/[^/]+\/)?models\//;

/** Trailing snapshot dates the catalog may not list: -2025-04-16, -20250416, @20250416. */
const TRAILING_DATE = /(?:[-@]20\d{2}-?\d{2}-?\d{2})$/;

/** Lower-cases, trims and removes a Google resource prefix. */
export function cleanModelName(model: string): string {
  return model.trim().toLowerCase().replace(GOOGLE_RESOURCE, '');
}

/** Splits `provider/model` into its prefix and the rest; undefined when there is no single leading segment. */
export function splitProviderPrefix(model: string): { prefix: string; rest: string } | undefined {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return undefined;
  return { prefix: model.slice(0, slash), rest: model.slice(slash + 1) };
}

/** The name without a trailing snapshot date, or undefined when it has none. */
export function withoutTrailingDate(model: string): string | undefined {
  const stripped = model.replace(TRAILING_DATE, '');
  return stripped !== model && stripped.length > 0 ? stripped : undefined;
}
