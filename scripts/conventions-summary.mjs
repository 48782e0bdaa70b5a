// The README's main command until the demo lands: prints what the cost conventions declare.
import * as semconv from '@costspan/semconv';

const attrs = Object.entries(semconv).filter(([k]) => k.startsWith('ATTR_'));
const metrics = Object.entries(semconv).filter(([k]) => k.startsWith('METRIC_') && !k.endsWith('_UNIT'));
console.log(
  `costspan conventions ${semconv.SEMCONV_REGISTRY_VERSION}: ${attrs.length} attributes, ${metrics.length} metrics\n`,
);
console.log('Attributes:');
for (const [, v] of attrs) console.log(`  ${v}`);
console.log('\nMetrics:');
for (const [k, v] of metrics) console.log(`  ${v} (${semconv[`${k}_UNIT`]})`);
console.log('\nReference: conventions/docs/attributes.md, conventions/docs/metrics.md');
