import { ATTR_COSTSPAN_GPU_NODE } from '@costspan/semconv';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import type { ResolvedGpuConfig } from './types.js';

/** Attributes as plain records (an SDK span's `attributes`, a decoded OTLP span's, a resource's). */
export type AttributeRecord = Readonly<Record<string, unknown>>;

/** Given a span's and its resource's attributes, the id of the node that served it, or undefined. */
export type NodeMatcher = (spanAttributes: AttributeRecord, resourceAttributes?: AttributeRecord) => string | undefined;

interface AddressRule {
  anyPort: string | undefined;
  ports: Map<number, string>;
}

interface ResourceRule {
  id: string;
  keys: readonly string[];
  values: readonly string[];
}

/**
 * Builds the matcher for a configuration. Order: an explicit node attribute (ATTR_COSTSPAN_GPU_NODE) naming a configured
 * node; then `server.address` (+ `server.port` when the rule has one, exact port before any-port); then the
 * first node, in configuration order, whose `resource` rule matches every key. Lookups are precomputed and a
 * resource's verdict is cached per resource object, so the miss path allocates nothing.
 */
export function createNodeMatcher(config: Pick<ResolvedGpuConfig, 'nodes'>): NodeMatcher {
  const ids = new Set<string>();
  const byAddress = new Map<string, AddressRule>();
  const resourceRules: ResourceRule[] = [];
  for (const node of config.nodes) {
    ids.add(node.id);
    const address = node.match['server.address'];
    if (address !== undefined) {
      let rule = byAddress.get(address);
      if (!rule) {
        rule = { anyPort: undefined, ports: new Map() };
        byAddress.set(address, rule);
      }
      const port = node.match['server.port'];
      if (port === undefined) rule.anyPort ??= node.id;
      else if (!rule.ports.has(port)) rule.ports.set(port, node.id);
    }
    const resource = node.match.resource;
    if (resource) resourceRules.push({ id: node.id, keys: Object.keys(resource), values: Object.values(resource) });
  }
  const resourceVerdicts = new WeakMap<object, string | null>();

  const matchResource = (resource: AttributeRecord): string | undefined => {
    for (const rule of resourceRules) {
      let all = true;
      for (let i = 0; i < rule.keys.length; i++) {
        if (resource[rule.keys[i]!] !== rule.values[i]) {
          all = false;
          break;
        }
      }
      if (all) return rule.id;
    }
    return undefined;
  };

  return (spanAttributes, resourceAttributes) => {
    const explicit = spanAttributes[ATTR_COSTSPAN_GPU_NODE];
    if (typeof explicit === 'string' && ids.has(explicit)) return explicit;
    if (byAddress.size > 0) {
      const address = spanAttributes[ATTR_SERVER_ADDRESS];
      if (typeof address === 'string') {
        const rule = byAddress.get(address);
        if (rule) {
          const rawPort = spanAttributes[ATTR_SERVER_PORT];
          const port = typeof rawPort === 'number' ? rawPort : typeof rawPort === 'string' ? Number(rawPort) : NaN;
          const byPort = rule.ports.size > 0 ? rule.ports.get(port) : undefined;
          if (byPort !== undefined) return byPort;
          if (rule.anyPort !== undefined) return rule.anyPort;
        }
      }
    }
    if (resourceRules.length === 0 || !resourceAttributes) return undefined;
    const cached = resourceVerdicts.get(resourceAttributes);
    if (cached !== undefined) return cached ?? undefined;
    const verdict = matchResource(resourceAttributes);
    resourceVerdicts.set(resourceAttributes, verdict ?? null);
    return verdict;
  };
}
