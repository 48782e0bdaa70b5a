/**
 * The sections every door reads from the one configuration file, in one list. A door parses them with
 * `parseSharedConfig` and adds its own sections; a new shared section is one more entry in SHARED_SECTIONS.
 */
import { parseAttribution } from './attribution.js';
import { parseBudgets } from './budgets.js';
import { parseCompat } from './compat.js';
import { parseGpu } from './gpu.js';
import { parsePrices } from './prices.js';
import type { ConfigProblem } from './problem.js';
import { type SectionContext, type SharedSection, sharedSection } from './section.js';

/** The shared sections, in the order their problems are reported. */
export const SHARED_SECTIONS = [
  sharedSection('compat', parseCompat),
  sharedSection('attribution', parseAttribution),
  sharedSection('budgets', parseBudgets),
  sharedSection('gpu', parseGpu),
  sharedSection('prices', parsePrices),
] as const;

type Section = (typeof SHARED_SECTIONS)[number];

/** The top-level keys of the shared sections. */
export const SHARED_SECTION_KEYS: readonly Section['key'][] = SHARED_SECTIONS.map((s) => s.key);

/**
 * The cost-rule sections (`costs`, `resources`: `parseCosts`, `parseResources`). Parsed by each door beside the
 * shared sections, because the doors differ on a bad entry: `@costspan/node` skips it and runs the rest, the
 * collector refuses to start.
 */
export const RULE_SECTION_KEYS: readonly string[] = ['costs', 'resources'];

/** The parsed shared sections; a section absent from the document (or unusable) is undefined. */
export type SharedConfig = {
  [S in Section as S['key']]?: S extends SharedSection<string, infer T> ? T : never;
};

/**
 * Parses every shared section present in `document` (a mapping; other keys are left to the door). Every problem
 * of every section is pushed onto `problems`, each at its path from the document root; nothing stops at the first.
 */
export function parseSharedConfig(
  document: Readonly<Record<string, unknown>>,
  problems: ConfigProblem[],
  context: SectionContext,
): SharedConfig {
  const out: Record<string, unknown> = {};
  for (const section of SHARED_SECTIONS as readonly SharedSection[]) {
    const raw = document[section.key];
    if (raw === undefined) continue;
    const parsed = section.parse(raw, section.key, problems, context);
    if (parsed !== undefined) out[section.key] = parsed;
  }
  return out as SharedConfig;
}
