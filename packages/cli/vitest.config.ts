import { costspanVitestConfig } from '../../vitest.shared.ts';

// Every test here starts real `costspan` processes (about 1.5 s each on an idle 2-core machine, several times
// that on a loaded one): a test with several of them gets a minute.
export default costspanVitestConfig(import.meta.dirname, { testTimeout: 60_000 });
