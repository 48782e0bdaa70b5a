/**
 * Span shapes shared by the benches, as instrumentations emit them: request attributes at span start, response
 * and usage attributes just before `end()`, on a process with a realistic resource.
 */

import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';

/**
 * What the official OpenAI instrumentation (and @costspan/instrumentation) puts on a chat call at start: operation,
 * provider, request model and parameters, server address.
 */
export const inferenceStart: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.request.max_tokens': 1024,
  'gen_ai.request.temperature': 0.2,
  'gen_ai.request.top_p': 1,
  'gen_ai.request.stop_sequences': ['\n\n'],
  'gen_ai.output.type': 'text',
  'server.address': 'api.openai.com',
  'server.port': 443,
};

/** …and at the response: model snapshot, id, finish reasons, service tier, usage with cache and reasoning. */
export const inferenceEnd: Attributes = {
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.response.id': 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  'gen_ai.response.finish_reasons': ['stop'],
  'openai.response.service_tier': 'default',
  'openai.response.system_fingerprint': 'fp_06737a9306',
  'gen_ai.usage.input_tokens': 1843,
  'gen_ai.usage.output_tokens': 412,
  'gen_ai.usage.cache_read.input_tokens': 1024,
  'gen_ai.usage.reasoning.output_tokens': 0,
};

export const INFERENCE_SPAN_NAME = 'chat gpt-4o-mini';

/** An outgoing HTTP client span as the undici / http instrumentations emit it. */
export const httpStart: Attributes = {
  'http.request.method': 'GET',
  'url.full': 'https://api.example.com/v1/orders/42?expand=items',
  'url.scheme': 'https',
  'url.path': '/v1/orders/42',
  'url.query': 'expand=items',
  'server.address': 'api.example.com',
  'server.port': 443,
  'user_agent.original': 'node',
};
export const httpEnd: Attributes = {
  'http.response.status_code': 200,
  'network.protocol.version': '1.1',
  'network.peer.address': '10.0.3.17',
  'network.peer.port': 443,
};

export const HTTP_SPAN_NAME = 'GET';

/** A resource as NodeSDK's default detectors (env, host, process, SDK info) build it. */
export const resource = resourceFromAttributes({
  'service.name': 'support-bot',
  'service.version': '2.14.0',
  'service.instance.id': '7f3c8a5e-2b1d-4c9e-9f0a-6d5e4c3b2a19',
  'deployment.environment.name': 'production',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.1',
  'host.name': 'ip-10-0-3-42.ec2.internal',
  'host.arch': 'amd64',
  'host.id': 'i-0a1b2c3d4e5f67890',
  'os.type': 'linux',
  'process.pid': 4312,
  'process.executable.name': 'node',
  'process.executable.path': '/usr/local/bin/node',
  'process.command': '/app/dist/server.js',
  'process.command_args': ['/usr/local/bin/node', '/app/dist/server.js'],
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '20.20.0',
  'process.runtime.description': 'Node.js',
  'process.owner': 'app',
});
