import { costspanVitestConfig } from '../../vitest.shared.ts';

export default costspanVitestConfig(import.meta.dirname);
