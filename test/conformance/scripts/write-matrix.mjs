// `npm run matrix -w @costspan/conformance`: writes the support matrix into the root README from the suite's
// declared cases, after checking that the last run of the suite (`npm test -w @costspan/conformance`, which leaves
// its results in .last-run/) priced every call as declared, in the processor and in the collector.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES } from '../src/cases.mjs';
import { renderMatrix, replaceMatrix, verdictOf } from '../src/matrix.mjs';

const here = import.meta.dirname;
const runs = join(here, '..', '.last-run');
const files = existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith('.json')) : [];
if (files.length === 0) {
  console.error('matrix: no results yet; run `npm test -w @costspan/conformance` first');
  process.exit(1);
}
const problems = [];
for (const file of files) {
  const results = JSON.parse(readFileSync(join(runs, file), 'utf8'));
  for (const c of CASES) {
    const run = results[c.id];
    if (run === undefined) {
      problems.push(`${file}: no result for ${c.id}`);
      continue;
    }
    if (file === 'node20.json' && run.version !== c.version) {
      problems.push(`${file}: ${c.package} ran ${run.version}, the case declares ${c.version}`);
    }
    for (const [call, expectation] of Object.entries(c.calls)) {
      const doors = ['processor', 'collector', 'collector-split'];
      const want = Object.fromEntries(doors.map((d) => [d, verdictOf(expectation, d)]));
      const got = run.calls[call];
      if (doors.some((d) => got?.[d] !== want[d])) {
        problems.push(`${file}: ${c.id} ${call}: ${JSON.stringify(got)}, declared ${JSON.stringify(want)}`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`matrix: the last run disagrees with the declared cases:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const readme = join(here, '..', '..', '..', 'README.md');
writeFileSync(readme, replaceMatrix(readFileSync(readme, 'utf8'), renderMatrix()));
console.log(`matrix: README.md updated from ${files.join(', ')} (${CASES.length} producers)`);
