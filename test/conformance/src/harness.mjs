// The child-process side of a producer case: one real tracer provider (global, as an application has it) whose
// processors are [raw snapshot, CostSpanProcessor, in-memory exporter], a meter provider for the unpriced counter,
// and the fake provider on loopback. Each scenario drives the producer's real client; the spans that finished
// during it — priced, and as they were before pricing (for the collector's path) — go to the JSON file named by
// CONFORMANCE_OUT. Instrumentations patch `require`d modules, so every SDK is loaded with `createRequire` after the
// producer's instrumentation is enabled.
import { writeFileSync } from 'node:fs';
import { CostSpanProcessor } from '@costspan/processor';
import { METRIC_COSTSPAN_PRICING_UNPRICED } from '@costspan/semconv';
import { createTestMetrics, createTestTracing } from '@costspan/testing';
import { startFakeProvider } from './fake-provider.mjs';
import { routes } from './fixtures.mjs';

/** Snapshots every span's attributes in `onEnding`, before the CostSpanProcessor (next in line) writes. */
class RawSnapshot {
  constructor() {
    this.raw = new Map();
  }
  onStart() {}
  onEnding(span) {
    this.raw.set(span.spanContext().spanId, { ...span.attributes });
  }
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

const hex = (id) => id ?? undefined;

export async function startHarness() {
  const metrics = createTestMetrics();
  const snapshot = new RawSnapshot();
  const tracing = createTestTracing({
    spanProcessors: [snapshot, new CostSpanProcessor({ meterProvider: metrics.meterProvider })],
  });
  const provider = await startFakeProvider(routes);
  const results = [];
  return {
    tracing,
    metrics,
    url: provider.url,
    /** Runs one scenario and records the spans that finished during it. */
    async scenario(id, drive) {
      tracing.exporter.reset();
      let error;
      try {
        await drive();
      } catch (e) {
        error = String(e?.stack ?? e);
      }
      // Spans of a stream end on a later tick than its last read.
      await new Promise((r) => setTimeout(r, 30));
      await tracing.provider.forceFlush();
      const spans = tracing.spans().map((s) => ({
        name: s.name,
        scope: s.instrumentationScope.name,
        kind: s.kind,
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: hex(s.parentSpanContext?.spanId ?? /** @type {{ parentSpanId?: string }} */ (s).parentSpanId),
        startTime: s.startTime,
        endTime: s.endTime,
        attributes: { ...s.attributes },
        raw: snapshot.raw.get(s.spanContext().spanId) ?? {},
      }));
      results.push({ id, error, spans });
    },
    async finish(meta) {
      const unpriced = (await metrics.points(METRIC_COSTSPAN_PRICING_UNPRICED)).map((p) => ({
        attributes: p.attributes,
        value: p.value,
      }));
      writeFileSync(process.env.CONFORMANCE_OUT ?? '/dev/stdout', JSON.stringify({ ...meta, results, unpriced }));
      await provider.close();
      await tracing.shutdown();
      await metrics.shutdown();
    },
  };
}

/** The Anthropic SDK reads ANTHROPIC_OPEN_TELEMETRY when a client is constructed. */
export function anthropicTracing(on) {
  process.env.ANTHROPIC_OPEN_TELEMETRY = on ? 'true' : 'false';
}
