import { diag } from '@opentelemetry/api';
import { observeCallResult, type ResultObserver } from './api-promise.js';
import { inferenceSpanActive, wrapsAnotherInstrumentation } from './double-span.js';
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

type Original = (this: unknown, ...args: unknown[]) => unknown;

/** Ends one call from what observation of its result reports. */
class CallResult implements ResultObserver {
  constructor(
    readonly call: GenAiCall,
    readonly plan: CallPlan,
  ) {}

  onValue(value: unknown): void {
    const { call, plan } = this;
    const makeObserver = plan.streamObserver;
    if (plan.stream && makeObserver && typeof value === 'object' && value !== null) {
      if (observeStreamObject(value, () => makeObserver(call))) return;
    }
    call.succeed(plan.outcome(value));
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }

  onRawResponse(): void {
    // The body is the caller's to read: only what the request said is known.
    this.call.succeed({});
  }
}

/** The plan and started call of a call we record, or undefined when we leave it alone. */
function startCall(
  original: Original,
  thisArg: unknown,
  args: unknown[],
  telemetry: () => CallTelemetry,
  plan: (thisArg: unknown, args: unknown[]) => CallPlan | undefined,
): CallResult | undefined {
  try {
    if (inferenceSpanActive() || wrapsAnotherInstrumentation(original)) return undefined;
    const planned = plan(thisArg, args);
    return planned && new CallResult(new GenAiCall(telemetry(), planned.start), planned);
  } catch (error) {
    diag.debug('@costspan/instrumentation: starting a GenAI span failed', error);
    return undefined;
  }
}

/**
 * Calls `original` and records it as one GenAI call. Whatever happens in the recording, the caller gets exactly
 * what `original` returns or throws. No span is made when another instrumentation already records the call.
 */
export function instrumentCall(
  original: Original,
  thisArg: unknown,
  args: unknown[],
  telemetry: () => CallTelemetry,
  plan: (thisArg: unknown, args: unknown[]) => CallPlan | undefined,
): unknown {
  const recorded = startCall(original, thisArg, args, telemetry, plan);
  if (!recorded) return original.apply(thisArg, args);
  const { call, plan: planned } = recorded;
  let result: unknown;
  try {
    result = call.withSpan(original, thisArg, planned.args ?? args);
  } catch (error) {
    call.fail(error);
    throw error;
  }
  return observeCallResult(result, recorded);
}
