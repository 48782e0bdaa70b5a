/** The `compat` section: which compatibility cost names to write besides the gen_ai ones. */
import { COMPAT_SWITCHES, type CompatSwitch } from '@costspan/core';
import type { ConfigProblem } from './problem.js';

/** `compat: [openlit-langfuse, openinference, logfire]`; null or absent: none. Unknown switches are problems. */
export function parseCompat(value: unknown, path: string, problems: ConfigProblem[]): CompatSwitch[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: `expected a list of switches (${COMPAT_SWITCHES.join(', ')})` });
    return [];
  }
  const out: CompatSwitch[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && (COMPAT_SWITCHES as readonly string[]).includes(item)) {
      out.push(item as CompatSwitch);
    } else {
      problems.push({
        path: `${path}[${i}]`,
        message: `unknown switch ${JSON.stringify(item)} (${COMPAT_SWITCHES.join(', ')})`,
      });
    }
  });
  return out;
}
