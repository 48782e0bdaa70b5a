// One command: a costspan collector with a store, the Python client (python3, standard library only) sending one
// span as OTLP/JSON, then the collector's report of what it priced.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { costspan, startCostspanCollector } from '@costspan/example-provider-simulator/harness';
import { ProcessGroup } from '@costspan/example-provider-simulator/processes';

const here = dirname(fileURLToPath(import.meta.url));
const group = new ProcessGroup();
try {
  const collector = await startCostspanCollector(group);
  const python = spawnSync('python3', [join(here, 'send_span.py'), collector.url], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  process.stdout.write(python.stdout);
  process.stderr.write(python.stderr);
  if (python.status !== 0) throw new Error(`python3 exited ${python.status}`);
  await group.stop('collector');
  console.log(await costspan(group, ['report', '--store', collector.store, '--by', 'service,feature,model']));
} finally {
  await group.stopAll();
}
