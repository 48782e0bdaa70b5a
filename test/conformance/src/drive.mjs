// The calls each scenario makes, through the real clients (openai 6, @anthropic-ai/sdk 1.x).
const messages = [{ role: 'user', content: 'What is the capital of France?' }];

export function openaiClient(OpenAI, url) {
  return new OpenAI({ apiKey: 'sk-conformance', baseURL: `${url}/v1`, maxRetries: 0 });
}

export function anthropicClient(Anthropic, url) {
  return new Anthropic({ apiKey: 'sk-ant-conformance', baseURL: url, maxRetries: 0 });
}

export const drive = {
  /** Chat Completions, one JSON answer. */
  'openai.chat': (client) => client.chat.completions.create({ model: 'o4-mini', messages }),
  /** Chat Completions on a model that bills cache writes (the GPT-5.6 family), one JSON answer. */
  'openai.chat.cache-write': (client) => client.chat.completions.create({ model: 'gpt-5.6-terra', messages }),
  /** Chat Completions streamed with the usage chunk requested, read to the end. */
  'openai.chat.stream': async (client) => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) {
      // read to the end
    }
  },
  /** Messages, one JSON answer. */
  'anthropic.messages': (client) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages }),
  /** Messages with `stream: true`, read to the end. */
  'anthropic.messages.stream': async (client) => {
    const stream = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      messages,
      stream: true,
    });
    for await (const _event of stream) {
      // read to the end
    }
  },
  /** The `messages.stream()` helper, awaited to its final message. */
  'anthropic.stream-helper': async (client) => {
    const stream = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 1024, messages });
    await stream.finalMessage();
  },
};
