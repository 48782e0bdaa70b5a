import { diag } from '@opentelemetry/api';

/**
 * Runs telemetry code so that nothing it throws reaches the host application: a failure is logged through the
 * OTel diagnostic logger and the result is `undefined`.
 */
export function guard<T>(what: string, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    diag.debug(`@costspan/instrumentation: ${what} failed`, error);
    return undefined;
  }
}
