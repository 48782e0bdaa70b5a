import * as shapes from '@costspan/testing/span-shapes';
import { describe, expect, it } from 'vitest';
import { createCostCore } from './cost-core.js';
import { annotateFragment } from './fragment.js';
import type { SpanRecord } from './record.js';

const core = createCostCore();

describe('annotateFragment', () => {
  it('prices each call once and totals the subtree on the root, whatever the arrival order', () => {
    const records: SpanRecord[] = [
      { name: 'POST /answer', spanId: 'root', attributes: { 'http.request.method': 'POST' } },
      { name: 'ai.generateText', spanId: 'outer', parentSpanId: 'root', attributes: shapes.aiSdk4Outer },
      { name: 'ai.generateText.doGenerate', spanId: 'inner', parentSpanId: 'outer', attributes: shapes.aiSdk4Inner },
      { name: 'chat claude', spanId: 'c2', parentSpanId: 'root', attributes: shapes.anthropicOtel },
      { name: 'remote child', spanId: 'x', parentSpanId: 'elsewhere', attributes: shapes.openaiChat },
    ];
    for (const order of [records, [...records].reverse()]) {
      const out = new Map(annotateFragment(core, order).map((r) => [r.record.spanId, r]));
      expect(out.get('inner')?.annotation?.outcome).toBe('priced');
      expect(out.get('outer')?.annotation).toBeUndefined();
      const inner = out.get('inner')?.annotation?.amountNanos ?? 0;
      const claude = out.get('c2')?.annotation?.amountNanos ?? 0;
      expect(out.get('outer')?.subtreeNanos).toBe(inner);
      expect(out.get('root')?.subtreeNanos).toBe(inner + claude);
      expect(out.get('root')?.attributes['costspan.cost.subtree']).toBe((inner + claude) / 1e9);
      expect(out.get('x')?.annotation?.outcome).toBe('priced');
      expect(out.get('x')?.subtreeNanos).toBeUndefined();
    }
  });

  it('survives parent cycles and missing ids', () => {
    const records: SpanRecord[] = [
      { name: 'a', spanId: 'a', parentSpanId: 'b', attributes: shapes.openaiChat },
      { name: 'b', spanId: 'b', parentSpanId: 'a', attributes: {} },
      { name: 'c', attributes: shapes.openaiChat },
    ];
    const out = annotateFragment(core, records);
    expect(out).toHaveLength(3);
    expect(out[2]?.annotation?.outcome).toBe('priced');
  });
});
