// The far side of the loopback: an OpenAI Chat Completions answer in the recorded format, each with a response id
// of its own (one id is one call: costspan prices a repeated id once). Runs in the parent process, so the
// children's CPU time is the client's alone.
import { createServer } from 'node:http';

/** A non-streamed `chat.completion` with usage (cached prompt tokens included), as api.openai.com answers. */
export function completion(id) {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created: 1754400000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Paris.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 1200,
      completion_tokens: 2,
      total_tokens: 1202,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_bench',
  });
}

export async function startFakeServer() {
  let sequence = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = completion(`chatcmpl-peers-${process.pid}-${++sequence}`);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
