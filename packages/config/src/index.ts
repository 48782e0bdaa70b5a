// @costspan/config: the shared configuration sections, parsed once for every door
export { parseCosts } from './costs.js';
export type { ConfigProblem } from './problem.js';
export { parseResources } from './resources.js';
