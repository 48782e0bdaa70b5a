import { context as otelContext, propagation } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTestMetrics, createTestTracing } from './index.js';

describe('@costspan/testing', () => {
  it('records spans with attributes set in onEnding by a processor placed before the exporter', async () => {
    const t = createTestTracing({
      spanProcessors: [
        {
          onStart() {},
          onEnding(span) {
            span.setAttribute('test.onending', true);
          },
          onEnd() {},
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
      resource: { 'service.name': 'svc' },
    });
    t.tracer.startSpan('work').end();
    expect(t.span('work').attributes['test.onending']).toBe(true);
    expect(t.span('work').resource.attributes['service.name']).toBe('svc');
    expect(() => t.span('missing')).toThrow(/no finished span named 'missing' \(have: work\)/);
    await t.shutdown();
  });

  it('propagates baggage through the global context manager', async () => {
    const t = createTestTracing();
    const bag = propagation.createBaggage({ k: { value: 'v' } });
    const seen = otelContext.with(propagation.setBaggage(otelContext.active(), bag), () =>
      Promise.resolve().then(() => propagation.getBaggage(otelContext.active())?.getEntry('k')?.value),
    );
    expect(await seen).toBe('v');
    await t.shutdown();
  });

  it('collects counters and histograms as flat points', async () => {
    const m = createTestMetrics();
    const meter = m.meterProvider.getMeter('t');
    meter.createCounter('c').add(2, { a: 'x' });
    meter.createHistogram('h').record(0.5);
    const c = await m.points('c');
    expect(c).toEqual([{ metric: 'c', unit: '', attributes: { a: 'x' }, value: 2 }]);
    const [h] = await m.points('h');
    expect(h?.value).toMatchObject({ count: 1, sum: 0.5 });
    await m.shutdown();
  });
});
