import { costspanVitestConfig } from '../vitest.shared.ts';

const config = costspanVitestConfig(import.meta.dirname, { include: ['src/**/*.test.ts'], testTimeout: 120_000 });
// The README test (a fresh clone: npm ci, build, the demo) runs after the other end-to-end tests, alone: beside
// them it would compete for the CPU with the demo test, whose utilization figures are measured on the real clock.
const { include: _, ...shared } = config.test ?? {};
config.test = {
  ...shared,
  setupFiles: ['./src/isolated-state.ts'],
  projects: [
    {
      extends: true,
      test: {
        name: 'e2e',
        include: ['src/**/*.test.ts'],
        exclude: ['src/readme.test.ts'],
        sequence: { groupOrder: 0 },
      },
    },
    { extends: true, test: { name: 'readme', include: ['src/readme.test.ts'], sequence: { groupOrder: 1 } } },
  ],
};
export default config;
