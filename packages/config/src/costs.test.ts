import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCosts } from './costs.js';
import type { ConfigProblem } from './problem.js';
import { parseResources } from './resources.js';

const ISSUE_EXAMPLE = `
costs:
  - name: vector-search
    component: retrieval
    match: { db.system.name: pinecone, db.operation.name: query }
    price: { perCall: 0.00008 }
    from: 2026-01-01
  - name: s3-egress
    component: egress
    match: { server.address: { prefix: "s3." } }
    price: { perUnit: 0.09, attribute: http.response.body.size, per: 1000000000 }
resources:
  - id: qdrant-pod
    monthlyRate: 70
    component: retrieval
    match: { db.system.name: qdrant }
    method: requests
`;

describe('costs and resources sections', () => {
  it('reads the pinned interface from YAML', () => {
    const doc = parse(ISSUE_EXAMPLE);
    const problems: ConfigProblem[] = [];
    const costs = parseCosts(doc.costs, 'costs', problems);
    const resources = parseResources(doc.resources, 'resources', problems);
    expect(problems).toEqual([]);
    expect(costs).toEqual([
      {
        name: 'vector-search',
        component: 'retrieval',
        match: { 'db.system.name': 'pinecone', 'db.operation.name': 'query' },
        price: { perCall: 0.00008 },
        from: '2026-01-01',
      },
      {
        name: 's3-egress',
        component: 'egress',
        match: { 'server.address': { prefix: 's3.' } },
        price: { perUnit: 0.09, attribute: 'http.response.body.size', per: 1_000_000_000 },
      },
    ]);
    expect(resources).toEqual([
      {
        id: 'qdrant-pod',
        component: 'retrieval',
        monthlyRate: 70,
        match: { 'db.system.name': 'qdrant' },
        method: 'requests',
      },
    ]);
  });

  it('reports one clear problem per mistake, with its precise path, and keeps the good entries', () => {
    const doc = parse(`
costs:
  - name: ok
    component: tool
    match: { gen_ai.tool.name: web_search }
    price: { perCall: 0.01 }
  - name: bad
    component: egress
    match: { server.address: { regex: "(" } }
    price: { perUnit: -1, attribute: http.response.body.size, per: 0.5 }
    from: someday
  - component: ""
    match: {}
    price: { perHour: 1 }
    colour: red
resources:
  - id: pod
    monthlyRate: 70
    hourlyRate: 1
    component: retrieval
    match: { db.system.name: qdrant }
    method: tokens
  - id: lb
    component: gateway
    match: { server.address: lb }
`);
    const problems: ConfigProblem[] = [];
    const costs = parseCosts(doc.costs, 'costs', problems);
    const resources = parseResources(doc.resources, 'resources', problems);
    expect(costs.map((c) => c.name)).toEqual(['ok']);
    expect(resources).toEqual([]);
    expect(problems.map((p) => p.path)).toEqual([
      'costs[1].match.server.address.regex',
      'costs[1].price.perUnit',
      'costs[1].price.per',
      'costs[1].from',
      'costs[2].colour',
      'costs[2].name',
      'costs[2].component',
      'costs[2].match',
      'costs[2].price',
      'resources[0].hourlyRate',
      'resources[0].method',
      'resources[1].monthlyRate',
    ]);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(8);
  });

  it('a section of the wrong shape is one problem', () => {
    const problems: ConfigProblem[] = [];
    expect(parseCosts({ name: 'x' }, 'costs', problems)).toEqual([]);
    expect(parseResources('pod', 'resources', problems)).toEqual([]);
    expect(problems).toEqual([
      { path: 'costs', message: 'expected a list of cost rules' },
      { path: 'resources', message: 'expected a list of shared resources' },
    ]);
  });
});
