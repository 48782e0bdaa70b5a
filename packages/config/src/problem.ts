/**
 * One problem found in a configuration: where (a dotted path from the document root, with `[i]` for list items,
 * e.g. `gpu.nodes[0].hourlyRate`) and what is wrong. Parsers collect every problem and report them all at once.
 */
export interface ConfigProblem {
  path: string;
  message: string;
  /**
   * The file the problem is in, when it is not the configuration document itself: a prices file the document
   * names (`prices: prices.yaml`) or `COSTSPAN_PRICES`. `path` is then a path inside that file.
   */
  source?: string;
}

/** `<source>: <path>: <message>` (`(root)` for the empty path); the problem's own source wins over `source`. */
export function formatProblem(problem: ConfigProblem, source?: string): string {
  const where = problem.source ?? source;
  return `${where === undefined ? '' : `${where}: `}${problem.path === '' ? '(root)' : problem.path}: ${problem.message}`;
}

/** Appends `path` to a parent path: `child('gpu', 'nodes[0]')` → `gpu.nodes[0]`, `child('', 'gpu')` → `gpu`. */
export function childPath(parent: string, key: string): string {
  if (parent === '') return key;
  return key === '' || key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`;
}
