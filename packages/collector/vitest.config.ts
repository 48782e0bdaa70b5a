import { costspanVitestConfig } from '../../vitest.shared.ts';

const config = costspanVitestConfig(import.meta.dirname, { testTimeout: 60_000 });
config.test = { ...config.test, setupFiles: ['./test/isolated-state.ts'] };
export default config;
