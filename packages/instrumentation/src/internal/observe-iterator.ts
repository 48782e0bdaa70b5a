import { guard } from './guard.js';

/** Callbacks for an observed async iterator; each is guarded and called at most once for the end. */
export interface IteratorObserver<T> {
  onItem(item: T): void;
  /** The iterator finished: `cancelled` when the consumer stopped early (`break`, `return()`). */
  onEnd(cancelled: boolean): void;
  onError(error: unknown): void;
}

/**
 * Wraps an async iterator so that `observer` sees every item and the end, without changing what the consumer
 * receives: values, `done`, errors and `return()` / `throw()` pass through to and from the original.
 */
export function observeIterator<T>(inner: AsyncIterator<T>, observer: IteratorObserver<T>): AsyncIterableIterator<T> {
  let finished = false;
  const finish = (how: 'end' | 'cancel' | 'error', error?: unknown): void => {
    if (finished) return;
    finished = true;
    if (how === 'error') guard('observing a stream error', () => observer.onError(error));
    else guard('observing a stream end', () => observer.onEnd(how === 'cancel'));
  };
  const settle = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) finish('end');
    else if (!finished) guard('observing a stream item', () => observer.onItem(result.value));
    return result;
  };
  const fail = (error: unknown): never => {
    finish('error', error);
    throw error;
  };
  const wrapped: AsyncIterableIterator<T> = {
    next(...args: [] | [undefined]) {
      return inner.next(...args).then(settle, fail);
    },
    return(value?: unknown) {
      finish('cancel');
      if (typeof inner.return !== 'function') {
        return Promise.resolve({ done: true, value } as IteratorResult<T>);
      }
      return inner.return(value as T);
    },
    throw(error?: unknown) {
      if (typeof inner.throw !== 'function') {
        finish('error', error);
        return Promise.reject(error);
      }
      return inner.throw(error).then(settle, fail);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return wrapped;
}

/**
 * Makes every iteration of an SDK stream object observed, keeping the object itself (its class, `controller`,
 * `tee()`, `toReadableStream()`): Stainless SDK streams (openai, @anthropic-ai/sdk) read their items through an
 * `iterator` function field, which is replaced by one that observes; other async iterables get an own
 * `Symbol.asyncIterator`. Returns false when the object offers neither.
 */
export function observeStreamObject<T>(stream: object, makeObserver: () => IteratorObserver<T>): boolean {
  const target = stream as {
    iterator?: () => AsyncIterator<T>;
    [Symbol.asyncIterator]?: () => AsyncIterator<T>;
  };
  if (typeof target.iterator === 'function') {
    const original = target.iterator;
    target.iterator = function observedIterator(this: unknown) {
      return observeIterator(original.call(this ?? stream), makeObserver());
    };
    return true;
  }
  const own = target[Symbol.asyncIterator];
  if (typeof own === 'function') {
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: function observedAsyncIterator(this: unknown) {
        return observeIterator(own.call(this ?? stream), makeObserver());
      },
    });
    return true;
  }
  return false;
}
