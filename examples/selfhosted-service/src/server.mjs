// A service calling a self-hosted, OpenAI-compatible vLLM node; started with
// `node --import @costspan/node/register src/server.mjs`. Its client spans carry server.address / server.port of
// the node; the costspan collector matches them to the GPU node in its config and allocates the node's time.
import { createServer } from 'node:http';
import OpenAI from 'openai';

const vllm = new OpenAI({ apiKey: 'not-needed', baseURL: `${process.env.VLLM_URL ?? 'http://127.0.0.1:8000'}/v1` });
const model = process.env.VLLM_MODEL ?? 'meta-llama/Llama-3.1-8B-Instruct';

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/generate') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { prompt } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const r = await vllm.chat.completions.create({ model, messages: [{ role: 'user', content: String(prompt) }] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: r.model, text: r.choices[0]?.message.content, usage: r.usage }));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(error?.message ?? error) }));
    }
  });
});
server.keepAliveTimeout = 1000;
server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
  console.log(
    JSON.stringify({
      listening: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    }),
  );
});
