import { ATTR_COSTSPAN_GPU_NODE, ATTR_COSTSPAN_PRICING_STATUS, ATTR_GEN_AI_USAGE_COST_AMOUNT } from '@costspan/semconv';
import { attributesToPlain } from './otlp/attributes.js';
import type { PipelineBatch } from './pipeline.js';
import type { DebugConfig } from './types.js';

/** Prints what passes through: one line per request (`basic`) or one per span with its cost (`detailed`). */
export class DebugExporter {
  private readonly write: (line: string) => void;

  constructor(private readonly config: DebugConfig) {
    this.write = config.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  export(batch: PipelineBatch): void {
    this.write(
      `costspan-collector: ${batch.spans.length} spans, ${batch.priced} priced, ${batch.unpriced} unpriced, ` +
        `${batch.rows.length} stored rows`,
    );
    if (this.config.verbosity !== 'detailed') return;
    for (const ref of batch.spans) {
      const a = attributesToPlain(ref.span.attributes);
      const status = a[ATTR_COSTSPAN_PRICING_STATUS];
      const cost = a[ATTR_GEN_AI_USAGE_COST_AMOUNT];
      const node = a[ATTR_COSTSPAN_GPU_NODE];
      this.write(
        `  ${ref.traceId}/${ref.spanId} ${JSON.stringify(ref.span.name ?? '')}` +
          (status ? ` ${status}` : '') +
          (typeof cost === 'number' ? ` $${cost}` : '') +
          (typeof node === 'string' ? ` node=${node}` : ''),
      );
    }
  }
}
