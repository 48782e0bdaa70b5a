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
    check: { type: 'boolean', default: false },
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
if (values.check) {
  // one request of each kind, printed, then exit
  /** @type {(url: string, body: unknown) => Promise<any>} */
  const post = async (url, body) => (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json();
  const messages = [{ role: 'user', content: 'hello' }];
  if (ready.providers) {
    const openai = await post(`${ready.providers}/v1/chat/completions`, { model: 'o4-mini', messages });
    console.log('openai', JSON.stringify(openai.usage));
    const anthropic = await post(`${ready.providers}/v1/messages`, {
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages,
    });
    console.log('anthropic', JSON.stringify(anthropic.usage));
    const gemini = await post(`${ready.providers}/v1beta/models/gemini-2.5-flash:generateContent`, {
      contents: [{ role: 'user', parts: [{ text: 'hello' }] }],
    });
    console.log('gemini', JSON.stringify(gemini.usageMetadata));
  }
  if (ready.vllm) {
    const vllm = await post(`${ready.vllm}/v1/chat/completions`, { messages });
    console.log('vllm', JSON.stringify(vllm.usage));
  }
  await Promise.all(servers.map(close));
  process.exit(0);
}
const stop = async () => {
  await Promise.all(servers.map(close));
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
