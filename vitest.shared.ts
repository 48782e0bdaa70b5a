/**
 * Shared vitest settings for every workspace package. When COSTSPAN_TEST_REPORT_DIR is set (by .ci/run),
 * each package also writes a JSON report there so CI can print one `N passed, N failed` line.
 */
import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';

export function costspanVitestConfig(packageDir: string, overrides: { testTimeout?: number; include?: string[] } = {}) {
  const reportDir = process.env.COSTSPAN_TEST_REPORT_DIR;
  const name = basename(packageDir);
  return defineConfig({
    test: {
      include: overrides.include ?? ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      reporters: reportDir ? ['default', 'json'] : ['default'],
      outputFile: reportDir ? { json: `${reportDir}/${name}.json` } : undefined,
    },
  });
}
