/**
 * One problem found in a configuration: where (a dotted path from the document root, with `[i]` for list items,
 * e.g. `gpu.nodes[0].hourlyRate`) and what is wrong. Parsers collect every problem and report them all at once.
 */
export interface ConfigProblem {
  path: string;
  message: string;
}
