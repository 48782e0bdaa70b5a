import { costspanVitestConfig } from '../vitest.shared.ts';

const config = costspanVitestConfig(import.meta.dirname, { include: ['src/**/*.test.ts'], testTimeout: 120_000 });
config.test = { ...config.test, setupFiles: ['./src/isolated-state.ts'] };
export default config;
