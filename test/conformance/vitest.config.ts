import { costspanVitestConfig } from '../../vitest.shared.ts';

export default costspanVitestConfig(import.meta.dirname, { include: ['src/**/*.test.ts'], testTimeout: 120_000 });
