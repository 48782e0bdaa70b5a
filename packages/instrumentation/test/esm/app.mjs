// An ESM application: static imports of the three SDKs, one call each against the fake provider in BASE_URL.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

const base = process.env.BASE_URL;
const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, maxRetries: 0 });
await openai.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }] });
const anthropic = new Anthropic({ apiKey: 'sk-ant', baseURL: base, maxRetries: 0, openTelemetry: false });
await anthropic.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hi' }],
});
const google = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: base } });
await google.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
