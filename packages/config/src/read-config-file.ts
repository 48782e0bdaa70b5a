/** Reading a configuration document (COSTSPAN_CONFIG, the collector's --config) from disk. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ConfigProblem } from './problem.js';

/**
 * Reads a YAML file (or JSON, for a `.json` name) and returns the parsed document (undefined for an empty file).
 * A file that cannot be read or parsed is one problem at the root (`path: ''`), pushed onto `problems`.
 */
export function readConfigFile(path: string, problems: ConfigProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`;
    problems.push({ path: '', message });
    return undefined;
  }
  const json = path.toLowerCase().endsWith('.json');
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? 'syntax error';
    problems.push({ path: '', message: `not valid ${json ? 'JSON' : 'YAML'}: ${first}` });
    return undefined;
  }
}
