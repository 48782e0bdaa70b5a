/** A local server answering OpenAI Chat Completions in the real response format (usage with cached tokens). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHAT_MODEL = 'gpt-4o-mini-2024-07-18';
/** The usage of every answer: 2006 input tokens of which 1920 cached, 300 output tokens. */
export const CHAT_USAGE = { inputTokens: 2006, cacheReadTokens: 1920, outputTokens: 300 };

/** A Chat Completion as api.openai.com returns it. */
export function chatCompletion(model: string = CHAT_MODEL) {
  return {
    id: 'chatcmpl-BeN6kGNrKQpZ8fdPz2Yq0vsl3XmJ1',
    object: 'chat.completion',
    created: 1_749_031_234,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Your order ships tomorrow.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: CHAT_USAGE.inputTokens,
      completion_tokens: CHAT_USAGE.outputTokens,
      total_tokens: CHAT_USAGE.inputTokens + CHAT_USAGE.outputTokens,
      prompt_tokens_details: { cached_tokens: CHAT_USAGE.cacheReadTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_34a54ae93c',
  };
}

export interface FakeOpenAI {
  /** Base URL for the OpenAI client (`.../v1`). */
  baseURL: string;
  port: number;
  requests: { path: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
}

/** Answers every POST .../chat/completions with `chatCompletion(model)` for the requested model's snapshot. */
export async function startFakeOpenAI(answerModel: string = CHAT_MODEL): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    for await (const _ of req) {
      // drain the request body
    }
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (req.method === 'POST' && (req.url ?? '').endsWith('/chat/completions')) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_0c3e9d7a2f1b' });
      res.end(JSON.stringify(chatCompletion(answerModel)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
