import { InstrumentationBase, isWrapped } from '@opentelemetry/instrumentation';
import type { GenAiInstrumentationConfig } from '../types.js';
import { captureContentEnabled } from './content-capture.js';
import { guard } from './guard.js';
import { type CallTelemetry, createInstruments, type GenAiInstruments } from './telemetry.js';

/** Marks the wrappers this package installs, so re-enabling replaces ours and never someone else's. */
const COSTSPAN_WRAPPER = Symbol.for('@costspan/instrumentation:wrapper');

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Shared plumbing of the costspan LLM-client instrumentations: instruments, call telemetry, safe wrapping. */
export abstract class GenAiInstrumentation<C extends GenAiInstrumentationConfig> extends InstrumentationBase<C> {
  // Assigned from the base constructor (through _updateMetricInstruments), so it must not be re-initialised here.
  declare private instruments: GenAiInstruments | undefined;

  protected override _updateMetricInstruments(): void {
    this.instruments = createInstruments(this.meter);
  }

  declare private telemetry: CallTelemetry | undefined;

  /**
   * Tracer, instruments and the content-capture switch, read at call time so that setConfig, a new provider and the
   * environment variable apply; the same object is returned while none of them changes.
   */
  protected callTelemetry(): CallTelemetry {
    if (!this.instruments) this.instruments = createInstruments(this.meter);
    const captureContent = captureContentEnabled(this.getConfig().captureMessageContent);
    const legacyCacheCreation = this.getConfig().legacyCacheCreation === true;
    const last = this.telemetry;
    if (
      last !== undefined &&
      last.tracer === this.tracer &&
      last.instruments === this.instruments &&
      last.captureContent === captureContent &&
      last.legacyCacheCreation === legacyCacheCreation
    ) {
      return last;
    }
    this.telemetry = { tracer: this.tracer, instruments: this.instruments, captureContent, legacyCacheCreation };
    return this.telemetry;
  }

  /**
   * Wraps `target[name]` with `makeWrapper(original)`. An earlier wrapper of ours is removed first; a wrapper of
   * another instrumentation is kept (and ours then lets it record the call, see `wrapsAnotherInstrumentation`).
   */
  protected wrapMethod(target: object | undefined, name: string, makeWrapper: (original: AnyFunction) => AnyFunction) {
    guard(`wrapping ${name}`, () => {
      if (!target) return;
      const holder = target as Record<string, unknown>;
      const current = holder[name] as (AnyFunction & { [COSTSPAN_WRAPPER]?: boolean }) | undefined;
      if (typeof current !== 'function') {
        this._diag.debug(`${name} not found; not instrumented`);
        return;
      }
      if (isWrapped(current) && current[COSTSPAN_WRAPPER]) this._unwrap(holder, name);
      this._wrap(holder, name, ((original: AnyFunction) => {
        const wrapper = makeWrapper(original) as AnyFunction & { [COSTSPAN_WRAPPER]?: boolean };
        wrapper[COSTSPAN_WRAPPER] = true;
        return wrapper;
      }) as never);
    });
  }

  /** Removes our wrapper of `target[name]`, leaving other instrumentations' wrappers alone. */
  protected unwrapMethod(target: object | undefined, name: string): void {
    guard(`unwrapping ${name}`, () => {
      if (!target) return;
      const current = (target as Record<string, unknown>)[name] as { [COSTSPAN_WRAPPER]?: boolean } | undefined;
      if (current && isWrapped(current) && current[COSTSPAN_WRAPPER]) {
        this._unwrap(target as Record<string, unknown>, name);
      }
    });
  }
}
