import type { AttrValue } from '@costspan/core';
import type { CostReadableSpan } from './types.js';

/**
 * A read-only view of an ended span with extra attributes, for SDKs without `onEnding`: everything else
 * (name, times, context, events, resource) is read through to the original span.
 */
export function endedSpanView<S extends CostReadableSpan>(span: S, extra: Record<string, AttrValue>): S {
  const attributes = { ...span.attributes, ...extra };
  return Object.create(span, { attributes: { value: attributes, enumerable: true } }) as S;
}
