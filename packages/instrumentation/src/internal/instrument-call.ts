import { observeCallResult } from './api-promise.js';
import { inferenceSpanActive, wrapsAnotherInstrumentation } from './double-span.js';
import { guard } from './guard.js';
import { type IteratorObserver, observeStreamObject } from './observe-iterator.js';
import { type CallStart, type CallTelemetry, GenAiCall } from './telemetry.js';
import type { CallOutcome } from './usage.js';

/** How one API method is recorded: built per call from its `this` and arguments. */
export interface CallPlan {
  start: CallStart;
  /** Arguments to call the original with, when the plan changes them (e.g. `includeUsage`). */
  args?: unknown[];
  /** The call returns a stream (`stream: true`, or a streaming method). */
  stream: boolean;
  /** The outcome of a non-streamed response. */
  outcome(value: unknown): CallOutcome;
  /** An observer of one streamed response, which must end `call` (required when `stream` is true). */
  streamObserver?(call: GenAiCall): IteratorObserver<unknown>;
}

/**
 * Calls `original` and records it as one GenAI call. Whatever happens in the recording, the caller gets exactly
 * what `original` returns or throws. No span is made when another instrumentation already records the call.
 */
export function instrumentCall(
  original: (this: unknown, ...args: unknown[]) => unknown,
  thisArg: unknown,
  args: unknown[],
  telemetry: () => CallTelemetry,
  plan: (thisArg: unknown, args: unknown[]) => CallPlan | undefined,
): unknown {
  if (guard('checking for another GenAI span', () => inferenceSpanActive() || wrapsAnotherInstrumentation(original))) {
    return original.apply(thisArg, args);
  }
  const planned = guard('planning a GenAI span', () => plan(thisArg, args));
  const call = planned && guard('starting a GenAI span', () => new GenAiCall(telemetry(), planned.start));
  if (!planned || !call) return original.apply(thisArg, args);
  let result: unknown;
  try {
    result = call.withSpan(() => original.apply(thisArg, planned.args ?? args));
  } catch (error) {
    call.fail(error);
    throw error;
  }
  return observeCallResult(
    result,
    (value) => {
      const makeObserver = planned.streamObserver;
      if (planned.stream && makeObserver && typeof value === 'object' && value !== null) {
        if (observeStreamObject(value, () => makeObserver(call))) return;
      }
      call.succeed(planned.outcome(value));
    },
    (error) => call.fail(error),
  );
}
