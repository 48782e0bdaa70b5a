// An express service calling OpenAI, Anthropic and Gemini (and, for RAG, a Qdrant collection and Cohere Rerank).
// Started with
//   node --import @costspan/node/register src/server.mjs
// every model call becomes a span with its cost; feature and tenant travel as W3C baggage, also to the
// self-hosted service behind POST /assist.
import { request } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { withCostAttribution } from '@costspan/node';
import { GoogleGenAI } from '@google/genai';
import express from 'express';
import OpenAI from 'openai';
import { rerank, vectorSearch } from './retrieval.mjs';

const providerUrl = process.env.PROVIDER_URL; // the simulator in the demo; unset = the real APIs
const openai = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY ?? 'sim',
  ...(providerUrl ? { baseURL: `${providerUrl}/v1` } : {}),
});
const anthropic = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY ?? 'sim',
  ...(providerUrl ? { baseURL: providerUrl } : {}),
});
const gemini = new GoogleGenAI({
  apiKey: process.env.GEMINI_API_KEY ?? 'sim',
  ...(providerUrl ? { httpOptions: { baseUrl: providerUrl } } : {}),
});
// The RAG feature's retrieval services: a Qdrant collection and Cohere Rerank (the simulator answers both).
const qdrantUrl = process.env.QDRANT_URL ?? providerUrl ?? 'http://127.0.0.1:6333';
const cohereUrl = process.env.COHERE_URL ?? providerUrl ?? 'https://api.cohere.com';

// A long, stable system prompt: providers cache it, and the cached tokens are priced at the cache-read rate.
const SUPPORT_PROMPT = `You are the support assistant of Example Corp. ${'Answer politely and cite the handbook. '.repeat(120)}`;

const routes = {
  // feature → the model call it makes
  'support-chat': async (input) => {
    const r = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: input },
      ],
    });
    return { model: r.model, text: r.choices[0]?.message.content };
  },
  'plan-trip': async (input) => {
    const r = await openai.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: input }] });
    return { model: r.model, text: r.choices[0]?.message.content };
  },
  summarize: async (input) => {
    const r = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 400,
      system: [{ type: 'text', text: SUPPORT_PROMPT, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: `Summarize: ${input}` }],
    });
    return { model: r.model, text: r.content[0]?.type === 'text' ? r.content[0].text : '' };
  },
  search: async (input) => {
    const r = await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: input });
    return { model: r.modelVersion, text: r.text };
  },
  // RAG: vector search (Qdrant), rerank (Cohere), then the model answers from the three best passages.
  rag: async (input) => {
    const passages = await vectorSearch(qdrantUrl, 'handbook', input, 8);
    const best = await rerank(cohereUrl, input, passages, 3);
    const r = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      system: `Answer from these handbook passages:\n${best.join('\n')}`,
      messages: [{ role: 'user', content: input }],
    });
    return { model: r.model, text: r.content[0]?.type === 'text' ? r.content[0].text : '', sources: best.length };
  },
  assist: (input) => postJson(`${process.env.SELFHOSTED_URL}/generate`, { prompt: input }),
};

const app = express();
app.use(express.json());
app.post('/:feature', async (req, res) => {
  const feature = req.params.feature;
  const call = routes[feature];
  if (!call) return res.status(404).json({ error: `unknown feature ${feature}` });
  const tenant = req.get('x-tenant') ?? 'anonymous';
  try {
    // Everything inside — this service's spans and the services it calls over HTTP — is attributed to them.
    const out = await withCostAttribution({ feature, tenant }, () => call(String(req.body?.input ?? '')));
    res.json(out);
  } catch (error) {
    res.status(502).json({ error: String(error?.message ?? error) });
  }
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: `http://127.0.0.1:${server.address().port}` }));
});
server.keepAliveTimeout = 1000;

/** POST JSON over node:http (instrumented: traceparent and baggage headers go along). */
function postJson(url, body) {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          if ((res.statusCode ?? 500) >= 400) reject(new Error(json.error ?? `HTTP ${res.statusCode}`));
          else resolve(json);
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
