import { createServer } from 'node:http';
import { readJson, sendJson } from './read-json.mjs';
import { COHERE_RERANK_PATH, cohereRerank, QDRANT_QUERY_PATH, qdrantQuery } from './retrieval.mjs';
import { answerText, countTokens, isReasoningModel, openaiCachedTokens, outputTokens, textOf } from './usage.mjs';

/** What OpenAI reports as `model` for an alias: the dated snapshot that served it. */
const OPENAI_SNAPSHOTS = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'o4-mini': 'o4-mini-2025-04-16',
};
const GEMINI_PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):generateContent$/;

/**
 * One HTTP server that answers like OpenAI (`POST /v1/chat/completions`), Anthropic (`POST /v1/messages`) and
 * Gemini (`POST /v1beta/models/{model}:generateContent`), with deterministic usage in each provider's own shape:
 * OpenAI `prompt_tokens_details.cached_tokens` and `completion_tokens_details.reasoning_tokens`, Anthropic
 * `cache_read_input_tokens` / `cache_creation_input_tokens` (input excludes cache), Gemini
 * `cachedContentTokenCount` / `thoughtsTokenCount` (candidates exclude thoughts). It also answers the retrieval
 * services a RAG feature calls: a Qdrant collection (`POST /collections/{name}/points/query`) and Cohere Rerank
 * (`POST /v2/rerank`). `GET /stats` counts requests.
 */
export function createProviderServer() {
  const stats = { openai: 0, anthropic: 0, gemini: 0, qdrant: 0, cohere: 0 };
  let seq = 0;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/stats') return sendJson(res, 200, stats);
      if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { ok: true });
      if (req.method !== 'POST') return sendJson(res, 404, { error: { message: 'not found' } });
      const body = await readJson(req);
      seq++;
      if (url.pathname === '/v1/chat/completions') {
        stats.openai++;
        return sendJson(res, 200, openaiChat(body, seq), { 'x-request-id': `req_sim_${seq}` });
      }
      if (url.pathname === '/v1/messages') {
        stats.anthropic++;
        return sendJson(res, 200, anthropicMessage(body, seq), { 'request-id': `req_sim_${seq}` });
      }
      const gemini = GEMINI_PATH.exec(url.pathname);
      if (gemini) {
        stats.gemini++;
        return sendJson(res, 200, geminiContent(decodeURIComponent(gemini[1]), body, seq));
      }
      const qdrant = QDRANT_QUERY_PATH.exec(url.pathname);
      if (qdrant) {
        stats.qdrant++;
        return sendJson(res, 200, qdrantQuery(decodeURIComponent(qdrant[1]), body, seq));
      }
      if (url.pathname === COHERE_RERANK_PATH) {
        stats.cohere++;
        return sendJson(res, 200, cohereRerank(body, seq));
      }
      return sendJson(res, 404, { error: { message: `no route ${url.pathname}` } });
    } catch (error) {
      return sendJson(res, 400, { error: { message: String(error?.message ?? error), type: 'invalid_request_error' } });
    }
  });
  return { server, stats };
}

function openaiChat(body, seq) {
  const model = String(body.model ?? 'gpt-4o-mini');
  const prompt = (body.messages ?? []).map((m) => textOf(m.content)).join('\n');
  const input = 8 + countTokens(prompt);
  const visible = outputTokens(input, body.max_completion_tokens ?? body.max_tokens);
  const reasoning = isReasoningModel(model) ? 2 * visible : 0;
  return {
    id: `chatcmpl-sim${seq}`,
    object: 'chat.completion',
    created: 1767225600,
    model: OPENAI_SNAPSHOTS[model] ?? model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answerText(model, visible), refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: input,
      completion_tokens: visible + reasoning,
      total_tokens: input + visible + reasoning,
      prompt_tokens_details: { cached_tokens: openaiCachedTokens(input), audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: reasoning,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_sim',
  };
}

function anthropicMessage(body, seq) {
  const model = String(body.model ?? 'claude-sonnet-4-5');
  const system = Array.isArray(body.system) ? body.system : body.system ? [{ type: 'text', text: body.system }] : [];
  const cachedSystem = system.filter((b) => b?.cache_control).map((b) => textOf(b.text));
  const plainSystem = system.filter((b) => !b?.cache_control).map((b) => textOf(b.text));
  const messages = (body.messages ?? []).map((m) => textOf(m.content)).join('\n');
  const cacheRead = cachedSystem.length > 0 ? countTokens(cachedSystem.join('\n')) : 0;
  const input = 8 + countTokens([...plainSystem, messages].join('\n'));
  const output = outputTokens(input + cacheRead, body.max_tokens);
  return {
    id: `msg_sim${seq}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: answerText(model, output) }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: input,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cacheRead,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: output,
      service_tier: 'standard',
    },
  };
}

function geminiContent(model, body, seq) {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const prompt = contents.map((c) => textOf(c.parts)).join('\n');
  const system = textOf(body.systemInstruction?.parts ?? body.systemInstruction);
  const input = 4 + countTokens(`${system}\n${prompt}`);
  const cached = input >= 1024 ? Math.floor(input / 4) : 0;
  const candidates = outputTokens(input, body.generationConfig?.maxOutputTokens);
  const budget = body.generationConfig?.thinkingConfig?.thinkingBudget;
  const thoughts = model.includes('2.5') && budget !== 0 ? 3 * candidates : 0;
  const usageMetadata = {
    promptTokenCount: input,
    candidatesTokenCount: candidates,
    totalTokenCount: input + candidates + thoughts,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }],
  };
  if (cached > 0) usageMetadata.cachedContentTokenCount = cached;
  if (thoughts > 0) usageMetadata.thoughtsTokenCount = thoughts;
  return {
    candidates: [
      {
        content: { parts: [{ text: answerText(model, candidates) }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata,
    modelVersion: model,
    responseId: `sim${seq}`,
  };
}
