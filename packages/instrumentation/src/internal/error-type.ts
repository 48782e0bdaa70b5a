/**
 * A low-cardinality `error.type` for a failed call: the SDK's error class name (`RateLimitError`,
 * `InternalServerError`, `APIUserAbortError`, ...), or `_OTHER` when there is none.
 */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const name = error.constructor?.name;
    if (name && name !== 'Error' && name !== 'Object') return name;
    if (error.name && error.name !== 'Error') return error.name;
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') return String(status);
  }
  return '_OTHER';
}
