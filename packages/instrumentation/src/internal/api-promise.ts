import { guard } from './guard.js';

/** The part of a Stainless `APIPromise` (openai, @anthropic-ai/sdk) that observation relies on. */
interface StainlessApiPromise<T> extends Promise<T> {
  _thenUnwrap<U>(transform: (data: T, props?: unknown) => U): StainlessApiPromise<U>;
  responsePromise?: Promise<unknown>;
}

function isApiPromise(value: unknown): value is StainlessApiPromise<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _thenUnwrap?: unknown })._thenUnwrap === 'function' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Observes the outcome of an SDK call without changing it. For a Stainless `APIPromise` the result is another
 * `APIPromise` over the same request (so `.withResponse()`, `.asResponse()` keep working) whose parsed value is
 * the original's, seen by `onValue` first; request failures are seen through its `responsePromise`. For any other
 * thenable the value is observed with a side `then` and the original object is returned untouched.
 */
export function observeCallResult<T>(
  result: T,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): T {
  if (isApiPromise(result)) {
    const observed = guard('observing an APIPromise', () => {
      result.responsePromise?.then(undefined, (error: unknown) =>
        guard('observing a failed request', () => onError(error)),
      );
      return result._thenUnwrap((value: unknown) => {
        guard('observing a response', () => onValue(value));
        return value;
      });
    });
    return (observed ?? result) as T;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as PromiseLike<unknown>).then(
      (value) => guard('observing a response', () => onValue(value)),
      (error) => guard('observing a failed request', () => onError(error)),
    );
  }
  return result;
}
