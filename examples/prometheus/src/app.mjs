// Makes priced OpenAI calls (against PROVIDER_URL, the simulator) under three features, then keeps serving
// /metrics until stopped.
import { withCostAttribution } from '@costspan/node';
import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: 'sim', baseURL: `${process.env.PROVIDER_URL}/v1` });
const calls = [
  ['support-chat', 'acme', 'gpt-4o-mini'],
  ['support-chat', 'globex', 'gpt-4o-mini'],
  ['support-chat', 'acme', 'gpt-4o-mini'],
  ['summarize', 'acme', 'gpt-4o'],
  ['plan-trip', 'initech', 'o4-mini'],
];
for (const [feature, tenant, model] of calls) {
  await withCostAttribution({ feature, tenant }, () =>
    openai.chat.completions.create({ model, messages: [{ role: 'user', content: `${feature} for ${tenant}` }] }),
  );
}
console.log(
  JSON.stringify({ metrics: `http://127.0.0.1:${process.env.METRICS_PORT ?? 9464}/metrics`, calls: calls.length }),
);
setInterval(() => {}, 60_000); // serve /metrics until SIGTERM
