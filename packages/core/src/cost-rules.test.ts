import { describe, expect, it } from 'vitest';
import { ComponentPricer, ruleSetVersion } from './component-pricer.js';
import { type CostRuleConfig, CostRuleSet } from './cost-rules.js';
import type { SpanRecord } from './record.js';

const span = (attributes: Record<string, unknown>, startTimeMs = Date.UTC(2026, 5, 1)): SpanRecord => ({
  name: 'span',
  attributes,
  startTimeMs,
  endTimeMs: startTimeMs + 10,
});

const RULES: CostRuleConfig[] = [
  {
    name: 'vector-search',
    component: 'retrieval',
    match: { 'db.system.name': 'pinecone', 'db.operation.name': 'query' },
    price: { perCall: 0.00008 },
  },
  {
    name: 's3-egress',
    component: 'egress',
    match: { 'server.address': { prefix: 's3.' } },
    price: { perUnit: 0.09, attribute: 'http.response.body.size', per: 1_000_000_000 },
  },
  {
    name: 'web-search',
    component: 'tool',
    match: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': { regex: '^(web_search|brave)$' } },
    price: { perCall: '0.01' },
  },
];

describe('cost rules', () => {
  const rules = new CostRuleSet(RULES);

  it('matches an exact value on every attribute of the rule, per call, exactly', () => {
    const cost = rules.price(span({ 'db.system.name': 'pinecone', 'db.operation.name': 'query' }));
    expect(cost).toMatchObject({ kind: 'rule', rule: 'vector-search', component: 'retrieval', nanos: 80_000 });
    expect(rules.price(span({ 'db.system.name': 'pinecone', 'db.operation.name': 'upsert' }))).toBeUndefined();
    expect(rules.price(span({ 'db.system.name': 'pinecone' }))).toBeUndefined();
  });

  it('matches a prefix and prices per unit read from an attribute (egress per GB), rounding half up', () => {
    // 2.5 GB at $0.09/GB = $0.225 = 225,000,000 nanos.
    const big = rules.price(
      span({ 'server.address': 's3.eu-west-1.amazonaws.com', 'http.response.body.size': 2_500_000_000 }),
    );
    expect(big).toMatchObject({ rule: 's3-egress', component: 'egress', units: 2_500_000_000, nanos: 225_000_000 });
    // 1234 bytes: 0.09 × 1234 / 1e9 $ = 111.06 nanos → 111; 5 bytes = 0.45 → 0; 6 bytes = 0.54 → 1 (half up).
    expect(rules.price(span({ 'server.address': 's3.x', 'http.response.body.size': 1234 }))?.nanos).toBe(111);
    expect(rules.price(span({ 'server.address': 's3.x', 'http.response.body.size': 5 }))?.nanos).toBe(0);
    expect(rules.price(span({ 'server.address': 's3.x', 'http.response.body.size': 6 }))?.nanos).toBe(1);
    expect(rules.price(span({ 'server.address': 'api.s3.x', 'http.response.body.size': 6 }))).toBeUndefined();
  });

  it('a unit rule whose span has no count is unpriced with a reason, never $0', () => {
    const cost = rules.price(span({ 'server.address': 's3.x' }));
    expect(cost).toMatchObject({ rule: 's3-egress', nanos: undefined });
    expect(cost?.reason).toMatch(/http.response.body.size/);
  });

  it('matches a regex, and first match wins', () => {
    const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search' };
    expect(rules.price(span(tool))).toMatchObject({ rule: 'web-search', nanos: 10_000_000 });
    expect(rules.price(span({ ...tool, 'gen_ai.tool.name': 'calculator' }))).toBeUndefined();
    const both = new CostRuleSet([
      { name: 'a', component: 'x', match: { 'db.system.name': { prefix: 'pine' } }, price: { perCall: 1 } },
      { name: 'b', component: 'y', match: { 'db.system.name': 'pinecone' }, price: { perCall: 2 } },
    ]);
    expect(both.price(span({ 'db.system.name': 'pinecone' }))?.rule).toBe('a');
  });

  it('applies the version of a rule effective at the span start', () => {
    const dated = new CostRuleSet([
      { name: 'q', component: 'retrieval', match: { 'db.system.name': 'pinecone' }, price: { perCall: 0.0001 } },
      {
        name: 'q',
        component: 'retrieval',
        match: { 'db.system.name': 'pinecone' },
        price: { perCall: 0.00008 },
        from: '2026-01-01',
      },
      {
        name: 'q',
        component: 'retrieval',
        match: { 'db.system.name': 'pinecone' },
        price: { perCall: 0.00005 },
        from: '2026-07-01',
      },
    ]);
    const at = (iso: string) => dated.price(span({ 'db.system.name': 'pinecone' }, Date.parse(iso)))?.nanos;
    expect(at('2025-12-31T23:59:59.999Z')).toBe(100_000);
    expect(at('2026-01-01T00:00:00Z')).toBe(80_000);
    expect(at('2026-06-30T12:00:00Z')).toBe(80_000);
    expect(at('2026-07-01T00:00:00Z')).toBe(50_000);
    // A rule with only a future version does not apply yet.
    const future = new CostRuleSet([
      { name: 'f', component: 'x', match: { a: 1 }, price: { perCall: 1 }, from: '2030-01-01' },
    ]);
    expect(future.price(span({ a: 1 }))).toBeUndefined();
  });

  it('the rule set has a stable version in the provenance', () => {
    const pricer = new ComponentPricer({ costs: RULES });
    const again = new ComponentPricer({ costs: structuredClone(RULES) });
    expect(pricer.version).toBe(again.version);
    expect(pricer.version).toMatch(/^[0-9a-f]{16}$/);
    expect(ruleSetVersion(RULES.slice(1), [])).not.toBe(pricer.version);
    const result = pricer.price(
      span({ 'db.system.name': 'pinecone', 'db.operation.name': 'query', 'costspan.feature': 'rag' }),
      'id',
    );
    expect(result?.attributes).toEqual({
      'costspan.cost.amount': 0.00008,
      'costspan.cost.currency': 'USD',
      'costspan.cost.component': 'retrieval',
      'costspan.cost.rule': 'vector-search',
      'costspan.pricing.source': `cost-rules@${pricer.version}`,
    });
    expect(result?.feature).toBe('rag');
  });

  it('pre-filters by the attributes the rules test', () => {
    const pricer = new ComponentPricer({ costs: RULES });
    expect(pricer.mayMatch({ 'http.method': 'GET', 'url.full': 'https://x' })).toBe(false);
    expect(pricer.mayMatch({ 'db.system.name': 'postgresql' })).toBe(true);
    expect(new ComponentPricer({}).empty).toBe(true);
  });

  it('tells a span that carries a tested key but matches no rule, before the span is read whole', () => {
    const pricer = new ComponentPricer({
      costs: [
        ...RULES,
        {
          name: 's3-egress',
          component: 'egress',
          match: { 'server.address': { prefix: 'storage.' } },
          price: { perCall: 0.001 },
          from: '2027-01-01',
        },
      ],
      resources: [{ id: 'pod', component: 'retrieval', monthlyRate: 70, match: { 'db.system.name': 'qdrant' } }],
    });
    expect(pricer.mayMatch({ 'server.address': 'api.openai.com' })).toBe(true);
    expect(pricer.matches({ 'server.address': 'api.openai.com' })).toBe(false);
    expect(pricer.matches({ 'server.address': 's3.eu-west-1.amazonaws.com' })).toBe(true);
    // A version not yet effective still counts: the date is the span's, checked when it is priced.
    expect(pricer.matches({ 'server.address': 'storage.googleapis.com' })).toBe(true);
    expect(pricer.matches({ 'db.system.name': 'qdrant' })).toBe(true);
    expect(pricer.matches({ 'db.system.name': 'qdrant', 'costspan.cost.rule': 'pod' })).toBe(false);
  });

  it('keeps file order and finds every rule past the 30 anchors the pre-filter has bits for', () => {
    const many: CostRuleConfig[] = Array.from({ length: 35 }, (_, i) => ({
      name: `r${i}`,
      component: 'x',
      match: { [`k${i}`]: 'v' },
      price: { perCall: i + 1 },
    }));
    many.push({ name: 'late', component: 'x', match: { k1: 'v', k33: 'w' }, price: { perCall: 1 } });
    const pricer = new ComponentPricer({ costs: many });
    for (const i of [0, 29, 30, 33, 34]) {
      expect(pricer.price(span({ [`k${i}`]: 'v' }), 'id')?.cost.rule).toBe(`r${i}`);
    }
    expect(pricer.price(span({ k33: 'x' }), 'id')).toBeUndefined();
    // k1 = v matches r1 first, whatever else the span carries.
    expect(pricer.price(span({ k1: 'v', k33: 'w' }), 'id')?.cost.rule).toBe('r1');
  });

  it('never prices a span the model pricing priced', () => {
    const usage = { hasTokens: true } as never;
    const rerank = { 'gen_ai.operation.name': 'rerank', 'gen_ai.request.model': 'rerank-v3.5' };
    const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };
    expect(ComponentPricer.appliesTo(undefined, 'query', {})).toBe(true);
    expect(ComponentPricer.appliesTo({ outcome: 'priced', usage } as never, 'chat', chat)).toBe(false);
    expect(ComponentPricer.appliesTo({ outcome: 'unpriced', usage } as never, 'chat', chat)).toBe(false);
    expect(ComponentPricer.appliesTo({ outcome: 'duplicate', usage } as never, 'chat', chat)).toBe(false);
    const noUsage = { outcome: 'unpriced', usage: { hasTokens: false } } as never;
    // A rerank call has no tokens: a rule may price it. A chat call that lost its usage stays a model call.
    expect(ComponentPricer.appliesTo(noUsage, 'rerank', rerank)).toBe(true);
    expect(ComponentPricer.appliesTo(noUsage, 'chat gpt-4o', chat)).toBe(false);
  });
});
