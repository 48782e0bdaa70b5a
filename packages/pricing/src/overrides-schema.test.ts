import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_KEYS, PRICE_KEYS, ROOT_KEYS } from './overrides-parse.js';

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'schema', 'price-overrides.schema.json'), 'utf8'),
);

describe('shipped JSON Schema', () => {
  it('describes the same price names, model keys and root keys the validator accepts', () => {
    expect(Object.keys(schema.$defs.prices.properties).sort()).toEqual([...PRICE_KEYS].sort());
    expect(Object.keys(schema.$defs.model.properties).sort()).toEqual([...MODEL_KEYS].sort());
    expect(Object.keys(schema.properties).sort()).toEqual([...ROOT_KEYS].sort());
  });
});
