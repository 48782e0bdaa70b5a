// Sums the vitest JSON reports written under a directory (one per package and leg) and prints
// the closing `N passed, N failed` line. Exits 1 when a test failed or no test ran.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.json')) {
      const r = JSON.parse(readFileSync(p, 'utf8'));
      // A suite that failed to load counts as a failure even when it reported no test.
      const loadFailures = (r.testResults ?? []).filter(
        (t) => t.status === 'failed' && t.assertionResults?.length === 0,
      ).length;
      passed += r.numPassedTests ?? 0;
      failed += (r.numFailedTests ?? 0) + loadFailures;
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      rows.push(
        `${relative(root, p)
          .replace(/\.json$/, '')
          .padEnd(
            32,
          )} ${String(r.numPassedTests).padStart(5)} passed ${String((r.numFailedTests ?? 0) + loadFailures).padStart(4)} failed`,
      );
    }
  }
};
walk(root);
for (const r of rows) console.log(r);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
