/**
 * The guard that keeps the dialect table the only place a foreign attribute name appears: scans the sources of
 * every package (`packages/<name>/src`, tests, the private test helpers of `packages/testing` — span shapes as
 * each producer writes them — and the generated @costspan/semconv files excepted) for string
 * literals that are a name of the dialect table, or look like one (a usage, token, cost, model, request,
 * response, span-kind, operation or latency name of another producer's namespace).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Registry } from './registry.ts';

const FOREIGN_SHAPE =
  /^(gen_ai|llm|ai|openinference|traceloop|langfuse|anthropic|embedding)\.(usage|token_count|cost|model|model_name|request|response|span|operation|operationId|observation|latency|system|provider)(\.|$)/;
const LITERAL = /(['"])((?:gen_ai|llm|ai|openinference|traceloop|langfuse|anthropic|embedding)\.[A-Za-z0-9_.]+)\1/g;

export interface ForeignNameLeak {
  file: string;
  line: number;
  name: string;
}

/** Every string literal in `packages/* /src` (outside tests and generated files) that is a foreign name. */
export function foreignNameLeaks(root: string, reg: Registry): ForeignNameLeak[] {
  const table = new Set(reg.dialects.flatMap((g) => g.reads.map((r) => r.name)));
  const leaks: ForeignNameLeak[] = [];
  const packages = join(root, 'packages');
  let names: string[];
  try {
    names = readdirSync(packages).sort();
  } catch {
    return leaks;
  }
  for (const pkg of names) {
    if (pkg === 'semconv' || pkg === 'testing') continue;
    const src = join(packages, pkg, 'src');
    try {
      if (!statSync(src).isDirectory()) continue;
    } catch {
      continue;
    }
    walk(src, (file) => {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) return;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((text, i) => {
        const trimmed = text.trimStart();
        if (trimmed.startsWith('*') || trimmed.startsWith('//') || trimmed.startsWith('/*')) return;
        for (const m of text.matchAll(LITERAL)) {
          const name = m[2] as string;
          if (table.has(name) || FOREIGN_SHAPE.test(name))
            leaks.push({ file: relative(root, file), line: i + 1, name });
        }
      });
    });
  }
  return leaks;
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, visit);
    else visit(p);
  }
}
