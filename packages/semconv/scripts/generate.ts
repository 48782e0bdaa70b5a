/**
 * Generates `@costspan/semconv` constants and the Markdown reference from the YAML registry in conventions/.
 *   tsx scripts/generate.ts          write the generated files
 *   tsx scripts/generate.ts --check  fail (exit 1) when a generated file is stale or the YAML is invalid
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foreignNameLeaks } from './foreign-names.ts';
import { loadRegistry, type Registry, RegistryError, readRegistrySources } from './registry.ts';
import {
  renderAttributes,
  renderAttributesMarkdown,
  renderDialects,
  renderDialectsMarkdown,
  renderIndex,
  renderMetrics,
  renderMetricsMarkdown,
  renderVersion,
} from './render.ts';

export interface GeneratedFile {
  /** Path relative to the repository root. */
  path: string;
  content: string;
}

/** Every file the registry generates, keyed by repository-relative path. */
export function renderAll(reg: Registry): GeneratedFile[] {
  return [
    { path: 'packages/semconv/src/attributes.ts', content: renderAttributes(reg) },
    { path: 'packages/semconv/src/dialects.ts', content: renderDialects(reg) },
    { path: 'packages/semconv/src/metrics.ts', content: renderMetrics(reg) },
    { path: 'packages/semconv/src/version.ts', content: renderVersion(reg) },
    { path: 'packages/semconv/src/index.ts', content: renderIndex(reg) },
    { path: 'conventions/docs/attributes.md', content: renderAttributesMarkdown(reg) },
    { path: 'conventions/docs/metrics.md', content: renderMetricsMarkdown(reg) },
    { path: 'conventions/docs/dialects.md', content: renderDialectsMarkdown(reg) },
  ];
}

/** Paths (repository-relative) whose content on disk differs from what the registry generates. */
export function staleFiles(root: string, files: GeneratedFile[]): string[] {
  return files
    .filter((f) => {
      const p = join(root, f.path);
      return !existsSync(p) || readFileSync(p, 'utf8') !== f.content;
    })
    .map((f) => f.path);
}

export function run(root: string, check: boolean, log: (s: string) => void = console.log): number {
  const conventionsDir = join(root, 'conventions');
  let reg: Registry;
  try {
    reg = loadRegistry(readRegistrySources(conventionsDir, root));
  } catch (err) {
    if (err instanceof RegistryError) {
      log(err.message);
      return 1;
    }
    throw err;
  }
  const files = renderAll(reg);
  if (check) {
    const stale = staleFiles(root, files);
    if (stale.length > 0) {
      log(
        `conventions check failed: generated files are stale or edited by hand:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRun \`npm run conventions:generate\` and commit the result (edit conventions/*.yaml, never the generated files).`,
      );
      return 1;
    }
    const leaks = foreignNameLeaks(root, reg);
    if (leaks.length > 0) {
      log(
        `conventions check failed: foreign attribute names written as string literals (declare them in conventions/model/dialects.yaml and use the generated constant):\n${leaks.map((l) => `  - ${l.file}:${l.line} '${l.name}'`).join('\n')}`,
      );
      return 1;
    }
    const attrs = reg.attributeGroups.reduce((n, g) => n + g.attributes.length, 0);
    log(
      `conventions ok: ${attrs} attributes in ${reg.attributeGroups.length} groups, ${reg.metrics.length} metrics, ${reg.dialects.reduce((n, g) => n + g.reads.length, 0)} foreign names in ${reg.dialects.length} dialects`,
    );
    return 0;
  }
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  log(`generated ${files.map((f) => relative(root, join(root, f.path))).join(', ')}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  process.exitCode = run(root, process.argv.includes('--check'));
}
