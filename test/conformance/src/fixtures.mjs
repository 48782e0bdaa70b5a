// Provider payloads in the recorded real formats (OpenAI Chat Completions, Anthropic Messages), non-streaming and
// streaming. The token counts are chosen so every price component shows: cached reads, cache writes (5-minute and
// 1-hour), reasoning tokens. The hand-computed prices are in cases.mjs.
import { dataFrames, eventFrames } from './fake-provider.mjs';

/** o4-mini, non-streaming: 2006 prompt tokens of which 1920 cached; 300 completion tokens of which 192 reasoning. */
export const openaiChat = {
  id: 'chatcmpl-CsPx41dXwN0a7rQ2sZbVh3LfE9kTu',
  object: 'chat.completion',
  created: 1767225600,
  model: 'o4-mini-2025-04-16',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Paris.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 2006,
    completion_tokens: 300,
    total_tokens: 2306,
    prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 192,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: null,
};

const streamBase = {
  id: 'chatcmpl-CsPy7Qm2VhR8kJt0eWc5nXo1aZ3dF',
  object: 'chat.completion.chunk',
  created: 1767225660,
  model: 'gpt-4.1-mini-2025-04-14',
  service_tier: 'default',
  system_fingerprint: 'fp_6f2eabb9a5',
};

/** gpt-4.1-mini, streamed with `stream_options.include_usage`: 1200 prompt tokens of which 1024 cached; 80 out. */
export const openaiChatStream = [
  { ...streamBase, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
  { ...streamBase, choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
  { ...streamBase, choices: [{ index: 0, delta: { content: ' there.' }, finish_reason: null }] },
  { ...streamBase, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  {
    ...streamBase,
    choices: [],
    usage: {
      prompt_tokens: 1200,
      completion_tokens: 80,
      total_tokens: 1280,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  },
];

/**
 * gpt-5.6-terra (the GPT-5.6 family bills prompt-cache writes), non-streaming: 10000 prompt tokens of which 4000
 * read from the cache and 2000 written to it (`prompt_tokens_details.cache_write_tokens`), 1000 completion tokens.
 */
export const openaiChatCacheWrite = {
  id: 'chatcmpl-D9kW2fQe7LmN4pR8sT1uV3xY5zA0b',
  object: 'chat.completion',
  created: 1786000000,
  model: 'gpt-5.6-terra-2026-08-01',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Done.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 10000,
    completion_tokens: 1000,
    total_tokens: 11000,
    prompt_tokens_details: { cached_tokens: 4000, cache_write_tokens: 2000, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: null,
};

/**
 * claude-sonnet-4-5, non-streaming: 120 uncached input tokens, 8000 read from the cache, 2000 written to it
 * (1500 with the 5-minute TTL, 500 with the 1-hour TTL), 350 output tokens.
 */
export const anthropicMessage = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'The latest release is 2.1.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 120,
    cache_creation_input_tokens: 2000,
    cache_read_input_tokens: 8000,
    cache_creation: { ephemeral_5m_input_tokens: 1500, ephemeral_1h_input_tokens: 500 },
    output_tokens: 350,
    service_tier: 'standard',
  },
};

/**
 * claude-haiku-4-5, streamed: `message_start` carries 25 uncached input tokens, 4096 cache reads and 1000 cache
 * writes with the 1-hour TTL; `message_delta` carries the cumulative 12 output tokens.
 */
export const anthropicStream = [
  {
    type: 'message_start',
    message: {
      id: 'msg_014p7gG3wDgGV9EUtLvnow3U',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 25,
        cache_creation_input_tokens: 1000,
        cache_read_input_tokens: 4096,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 },
        output_tokens: 1,
        service_tier: 'standard',
      },
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '! How can I help?' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 12 },
  },
  { type: 'message_stop' },
];

export const routes = {
  '/chat/completions': {
    id: 'chatcmpl-',
    json: openaiChat,
    sse: dataFrames(openaiChatStream),
    models: { 'gpt-5.6-terra': openaiChatCacheWrite },
  },
  '/messages': { id: 'msg_', json: anthropicMessage, sse: eventFrames(anthropicStream) },
};
