import type { CostRuleConfig, CostRulePrice } from '@costspan/core';
import { isDecimalAmount, isRecord, parseCurrency, parseDate, parseMatch, parseName, unknownKeys } from './match.js';
import type { ConfigProblem } from './problem.js';

const RULE_KEYS = ['name', 'component', 'match', 'price', 'from', 'currency'] as const;

/**
 * The `costs:` section: a list of cost rules. Every problem is added to `problems` with its precise path
 * (`costs[1].price.perUnit`); the rules without a problem are returned (a door decides whether to run with them:
 * `@costspan/node` logs the problems and goes on, the collector refuses to start). Absent → `[]`.
 */
export function parseCosts(raw: unknown, path: string, problems: ConfigProblem[]): CostRuleConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path, message: 'expected a list of cost rules' });
    return [];
  }
  const out: CostRuleConfig[] = [];
  raw.forEach((item, i) => {
    const rule = parseRule(item, `${path}[${i}]`, problems);
    if (rule !== undefined) out.push(rule);
  });
  return out;
}

function parseRule(raw: unknown, path: string, problems: ConfigProblem[]): CostRuleConfig | undefined {
  if (!isRecord(raw)) {
    problems.push({ path, message: 'expected a mapping with name, component, match and price' });
    return undefined;
  }
  const before = problems.length;
  unknownKeys(raw, RULE_KEYS, path, problems);
  const name = parseName(raw.name, `${path}.name`, problems);
  const component = parseName(raw.component, `${path}.component`, problems);
  const match = parseMatch(raw.match, `${path}.match`, problems);
  const price = parsePrice(raw.price, `${path}.price`, problems);
  const from = parseDate(raw.from, `${path}.from`, problems);
  const currency = parseCurrency(raw.currency, `${path}.currency`, problems);
  if (problems.length > before || !name || !component || !match || !price) return undefined;
  const rule: CostRuleConfig = { name, component, match, price };
  if (from !== undefined) rule.from = from;
  if (currency !== undefined) rule.currency = currency;
  return rule;
}

function parsePrice(raw: unknown, path: string, problems: ConfigProblem[]): CostRulePrice | undefined {
  if (!isRecord(raw)) {
    problems.push({ path, message: 'expected { perCall: USD } or { perUnit: USD, attribute: name, per: units }' });
    return undefined;
  }
  if ('perCall' in raw) {
    if (unknownKeys(raw, ['perCall'], path, problems) > 0) return undefined;
    if (!isDecimalAmount(raw.perCall)) {
      problems.push({ path: `${path}.perCall`, message: 'expected an amount >= 0 (a number or decimal text)' });
      return undefined;
    }
    return { perCall: raw.perCall };
  }
  if ('perUnit' in raw) {
    const before = problems.length;
    unknownKeys(raw, ['perUnit', 'attribute', 'per'], path, problems);
    if (!isDecimalAmount(raw.perUnit)) {
      problems.push({ path: `${path}.perUnit`, message: 'expected an amount >= 0 (a number or decimal text)' });
    }
    if (typeof raw.attribute !== 'string' || raw.attribute === '') {
      problems.push({
        path: `${path}.attribute`,
        message: 'expected the name of the attribute holding the unit count',
      });
    }
    const per = raw.per ?? 1;
    if (typeof per !== 'number' || !Number.isSafeInteger(per) || per <= 0) {
      problems.push({
        path: `${path}.per`,
        message: 'expected a positive whole number of units (1000000000 for a GB)',
      });
    }
    if (problems.length > before) return undefined;
    return { perUnit: raw.perUnit as number | string, attribute: raw.attribute as string, per: per as number };
  }
  problems.push({ path, message: 'expected perCall or perUnit' });
  return undefined;
}
