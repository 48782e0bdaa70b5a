import { ATTR_COSTSPAN_GPU_NODE } from '@costspan/semconv';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import { resolveGpuConfig } from './config.js';
import { createNodeMatcher } from './node-matcher.js';

const config = resolveGpuConfig({
  nodes: [
    { id: 'vllm-8000', hourlyRate: 1, match: { 'server.address': 'vllm.internal', 'server.port': 8000 } },
    { id: 'vllm-any', hourlyRate: 1, match: { 'server.address': 'vllm.internal' } },
    { id: 'on-node', hourlyRate: 1, match: { resource: { 'host.name': 'gpu-7', 'cloud.region': 'eu-west-1' } } },
    { id: 'explicit-only', hourlyRate: 1 },
  ],
});
const match = createNodeMatcher(config);

describe('createNodeMatcher', () => {
  it('prefers an explicit costspan.gpu.node naming a configured node', () => {
    expect(match({ [ATTR_COSTSPAN_GPU_NODE]: 'explicit-only', [ATTR_SERVER_ADDRESS]: 'vllm.internal' })).toBe(
      'explicit-only',
    );
    expect(match({ [ATTR_COSTSPAN_GPU_NODE]: 'not-configured', [ATTR_SERVER_ADDRESS]: 'vllm.internal' })).toBe(
      'vllm-any',
    );
  });

  it('matches client spans by server.address and port, exact port first', () => {
    expect(match({ [ATTR_SERVER_ADDRESS]: 'vllm.internal', [ATTR_SERVER_PORT]: 8000 })).toBe('vllm-8000');
    expect(match({ [ATTR_SERVER_ADDRESS]: 'vllm.internal', [ATTR_SERVER_PORT]: 9000 })).toBe('vllm-any');
    expect(match({ [ATTR_SERVER_ADDRESS]: 'api.openai.com', [ATTR_SERVER_PORT]: 443 })).toBeUndefined();
  });

  it('matches spans produced on the node by every resource attribute of the rule', () => {
    const resource = { 'host.name': 'gpu-7', 'cloud.region': 'eu-west-1', 'service.name': 'vllm' };
    expect(match({}, resource)).toBe('on-node');
    expect(match({}, resource)).toBe('on-node');
    expect(match({}, { 'host.name': 'gpu-7', 'cloud.region': 'us-east-1' })).toBeUndefined();
    expect(match({})).toBeUndefined();
  });
});
