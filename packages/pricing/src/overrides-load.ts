/** Reading a price-overrides file (YAML or JSON) from disk, synchronously, with errors that name the file. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PriceOverridesError, parsePriceOverrides } from './overrides-parse.js';
import type { PriceOverrides } from './types.js';

export interface LoadedPriceOverrides {
  overrides: PriceOverrides;
  /** 'overrides:<file name>#<first 8 hex of the content's SHA-256>', recorded on every price it produces. */
  source: string;
}

/**
 * Reads, parses and validates an overrides file. JSON is tried for `.json` files, YAML otherwise (YAML also
 * accepts JSON). Throws PriceOverridesError naming the file, the path inside it and the problem.
 */
export function loadPriceOverridesFile(path: string): LoadedPriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (error as Error).message})`;
    throw new PriceOverridesError(path, [{ path: '', message: problem }]);
  }
  let value: unknown;
  try {
    value = path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'syntax error';
    throw new PriceOverridesError(path, [
      { path: '', message: `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${message}` },
    ]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    // Never echo the content: the path may name a file that is not a price file at all (a secret, /etc/passwd).
    // An empty file is an empty set of overrides, as before.
    const kind = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new PriceOverridesError(path, [
      {
        path: '',
        message: `not a price overrides file: expected a mapping with 'models' and/or 'serviceTiers', got ${kind}`,
      },
    ]);
  }
  const overrides = parsePriceOverrides(value, path);
  return { overrides, source: overridesSource(basename(path), text) };
}

/** The provenance label for overrides: a name plus a short content hash. */
export function overridesSource(name: string, content: string): string {
  return `overrides:${name}#${createHash('sha256').update(content).digest('hex').slice(0, 8)}`;
}
