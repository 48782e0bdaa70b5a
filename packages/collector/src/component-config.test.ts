import { describe, expect, it } from 'vitest';
import { collectorConfigFromObject } from './config.js';
import { CollectorConfigError } from './config-error.js';

describe('collector configuration: costs and resources', () => {
  it('reads the sections into the configuration', () => {
    const config = collectorConfigFromObject({
      costs: [
        { name: 'q', component: 'retrieval', match: { 'db.system.name': 'pinecone' }, price: { perCall: 0.00008 } },
      ],
      resources: [{ id: 'pod', component: 'retrieval', monthlyRate: 70, match: { 'db.system.name': 'qdrant' } }],
    });
    expect(config.costs).toHaveLength(1);
    expect(config.resources?.[0]?.id).toBe('pod');
  });

  it('refuses to start on a bad rule file, listing every problem with its path', () => {
    let error: unknown;
    try {
      collectorConfigFromObject({
        costs: [
          { name: 'q', component: 'retrieval', match: { 'db.system.name': { regex: '[' } }, price: { perCall: 1 } },
          { name: 'e', component: 'egress', match: { 'server.address': { prefix: 's3.' } }, price: { perUnit: 'x' } },
        ],
        resources: [{ id: 'pod', component: 'retrieval', match: { a: 1 } }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CollectorConfigError);
    const problems = (error as CollectorConfigError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      'costs[0].match.db.system.name.regex',
      'costs[1].price.perUnit',
      'costs[1].price.attribute',
      'resources[0].monthlyRate',
    ]);
    expect(problems[0]?.message).toMatch(/^not a valid/);
    // One message names every problem with its path.
    const message = (error as Error).message;
    expect(message).toMatch(/^invalid collector configuration: /);
    for (const p of problems) expect(message).toContain(`${p.path}: ${p.message}`);
  });
});
