// @costspan/config: the shared configuration sections, parsed once for every door
export type { ConfigProblem } from './problem.js';
