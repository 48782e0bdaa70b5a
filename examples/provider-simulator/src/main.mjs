// node src/main.mjs [providers|vllm|both] [--port N] [--latency-ms N] [--slowdown F]
// Prints one JSON line once listening ({"providers":"http://127.0.0.1:PORT"} / {"vllm":...}), stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { close, createProviderServer, createVllmServer, listen } from './index.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '40' },
    slowdown: { type: 'string', default: '0.1' },
    model: { type: 'string' },
  },
});
const which = positionals[0] ?? 'both';
const servers = [];
const ready = {};
if (which === 'providers' || which === 'both') {
  const { server } = createProviderServer();
  ready.providers = await listen(server, which === 'both' ? 0 : Number(values.port));
  servers.push(server);
}
if (which === 'vllm' || which === 'both') {
  const { server } = createVllmServer({
    latencyMs: Number(values['latency-ms']),
    slowdown: Number(values.slowdown),
    ...(values.model ? { model: values.model } : {}),
  });
  ready.vllm = await listen(server, which === 'both' ? 0 : Number(values.port));
  servers.push(server);
}
if (servers.length === 0) {
  console.error(`unknown simulator '${which}' (providers, vllm or both)`);
  process.exit(2);
}
console.log(JSON.stringify(ready));
const stop = async () => {
  await Promise.all(servers.map(close));
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
