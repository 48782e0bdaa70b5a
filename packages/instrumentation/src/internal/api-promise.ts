import { diag } from '@opentelemetry/api';

/** What observation of one call's result reports. Exceptions thrown here are caught and logged. */
export interface ResultObserver {
  /** The parsed value (for a stream, the stream object). */
  onValue(value: unknown): void;
  /** The request or the parse of its response failed. */
  onError(error: unknown): void;
  /** The caller took the raw HTTP response (`.asResponse()`) and no parse of its body has begun. */
  onRawResponse(response: unknown): void;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** The parts of a Stainless `APIPromise` (openai 4.x–7.x, @anthropic-ai/sdk) that observation relies on. */
interface StainlessApiPromise {
  then: AnyFunction;
  _thenUnwrap: (transform: (data: unknown) => unknown) => unknown;
  responsePromise?: unknown;
  parseResponse?: unknown;
  asResponse?: unknown;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function isApiPromise(value: unknown): value is StainlessApiPromise {
  return isThenable(value) && typeof (value as { _thenUnwrap?: unknown })._thenUnwrap === 'function';
}

function report(what: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    diag.debug(`@costspan/instrumentation: ${what} failed`, error);
  }
}

/**
 * Observes the outcome of an SDK call without changing it: the caller gets the same object, the same values and
 * the same rejections, and a rejection nobody handles stays unhandled.
 *
 * A Stainless `APIPromise` is observed in place: its response promise is replaced by a pass-through that sees
 * request failures, its `parseResponse` by one that sees the parsed value (every way of reading it — `await`,
 * `.withResponse()`, `._thenUnwrap()` helpers — goes through it), and its `asResponse` by one that reports a raw
 * response read before any parse. Another thenable is replaced by a pass-through native promise when it is one
 * (Gemini's internal methods), else observed with a side `then`.
 */
export function observeCallResult(result: unknown, observer: ResultObserver): unknown {
  try {
    if (isApiPromise(result)) return observeApiPromise(result, observer);
    if (result instanceof Promise && result.constructor === Promise) return passThrough(result, observer);
    if (isThenable(result)) {
      result.then(
        (value) => report('observing a response', () => observer.onValue(value)),
        (error) => report('observing a failed request', () => observer.onError(error)),
      );
    }
  } catch (error) {
    diag.debug('@costspan/instrumentation: observing a call result failed', error);
  }
  return result;
}

function passThrough(result: Promise<unknown>, observer: ResultObserver): Promise<unknown> {
  return result.then(
    (value) => {
      report('observing a response', () => observer.onValue(value));
      return value;
    },
    (error: unknown) => {
      report('observing a failed request', () => observer.onError(error));
      throw error;
    },
  );
}

function observeApiPromise(result: StainlessApiPromise, observer: ResultObserver): unknown {
  const responsePromise = result.responsePromise;
  if (isThenable(responsePromise)) {
    // A pass-through in its place: a failure reaches whoever reads the response (parse, asResponse, withResponse)
    // exactly as before, and stays an unhandled rejection when nobody does.
    result.responsePromise = responsePromise.then(undefined, (error: unknown) => {
      report('observing a failed request', () => observer.onError(error));
      throw error;
    });
  }
  const parseResponse = result.parseResponse;
  if (typeof parseResponse !== 'function') {
    // An APIPromise of a shape we do not know: read its value through a derived APIPromise instead.
    const observed = result._thenUnwrap((value) => {
      report('observing a response', () => observer.onValue(value));
      return value;
    });
    return observed ?? result;
  }
  let parsing = false;
  result.parseResponse = function observedParseResponse(this: unknown, ...args: unknown[]) {
    parsing = true;
    let parsed: unknown;
    try {
      parsed = (parseResponse as AnyFunction).apply(this, args);
    } catch (error) {
      report('observing a failed parse', () => observer.onError(error));
      throw error;
    }
    if (!isThenable(parsed)) {
      report('observing a response', () => observer.onValue(parsed));
      return parsed;
    }
    return parsed.then(
      (value) => {
        report('observing a response', () => observer.onValue(value));
        return value;
      },
      (error: unknown) => {
        report('observing a failed parse', () => observer.onError(error));
        throw error;
      },
    );
  };
  const asResponse = result.asResponse;
  if (typeof asResponse === 'function') {
    result.asResponse = function observedAsResponse(this: unknown) {
      const raw = (asResponse as AnyFunction).call(this);
      if (!isThenable(raw)) return raw;
      // A parse requested with it (`withResponse()`, or an `await` of the same call) starts first and ends the call
      // with the parsed value; otherwise the body may never be parsed, so the call ends with the response.
      return raw.then((response) => {
        if (!parsing) report('observing a raw response', () => observer.onRawResponse(response));
        return response;
      });
    };
  }
  return result;
}
