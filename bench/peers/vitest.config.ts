import { costspanVitestConfig } from '../../vitest.shared.ts';

export default costspanVitestConfig(import.meta.dirname, { include: ['src/**/*.test.ts'], testTimeout: 300_000 });
