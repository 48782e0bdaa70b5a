import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { currentMatrix, renderMatrix } from './matrix.mjs';

it('the README support matrix is the one the declared cases render (run `npm run matrix -w @costspan/conformance`)', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
  expect(currentMatrix(readme)).toBe(renderMatrix());
});
