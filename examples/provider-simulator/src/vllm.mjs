import { createServer } from 'node:http';
import { readJson, sendJson } from './read-json.mjs';
import { answerText, countTokens, outputTokens, textOf } from './usage.mjs';

/**
 * A simulated self-hosted vLLM node: OpenAI-compatible `POST /v1/chat/completions` and `GET /v1/models`. Each
 * request holds the node for `latencyMs × (1 + slowdown × (n − 1))`, n = requests in flight when it arrives (a
 * batching server slows down as concurrency grows). Usage is vLLM's: `prompt_tokens`, `completion_tokens`,
 * `total_tokens`, `prompt_tokens_details: null`. `GET /stats` reports requests served and peak concurrency.
 */
export function createVllmServer({ model = 'meta-llama/Llama-3.1-8B-Instruct', latencyMs = 40, slowdown = 0.1 } = {}) {
  const stats = { requests: 0, inFlight: 0, peakInFlight: 0 };
  let seq = 0;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/stats') return sendJson(res, 200, stats);
      if (req.method === 'GET' && (url.pathname === '/health' || url.pathname === '/v1/health')) {
        return sendJson(res, 200, { ok: true });
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        return sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', owned_by: 'vllm' }] });
      }
      if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
        return sendJson(res, 404, { object: 'error', message: `no route ${url.pathname}`, code: 404 });
      }
      const body = await readJson(req);
      stats.inFlight++;
      stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
      const holdMs = latencyMs * (1 + slowdown * (stats.inFlight - 1));
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      stats.inFlight--;
      stats.requests++;
      seq++;
      const prompt = (body.messages ?? []).map((m) => textOf(m.content)).join('\n');
      const input = 6 + countTokens(prompt);
      const output = outputTokens(input, body.max_completion_tokens ?? body.max_tokens);
      return sendJson(res, 200, {
        id: `chatcmpl-vllm${seq}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answerText(model, output), tool_calls: [], reasoning_content: null },
            logprobs: null,
            finish_reason: 'stop',
            stop_reason: null,
          },
        ],
        usage: {
          prompt_tokens: input,
          total_tokens: input + output,
          completion_tokens: output,
          prompt_tokens_details: null,
        },
        prompt_logprobs: null,
      });
    } catch (error) {
      return sendJson(res, 400, { object: 'error', message: String(error?.message ?? error), code: 400 });
    }
  });
  return { server, stats };
}
