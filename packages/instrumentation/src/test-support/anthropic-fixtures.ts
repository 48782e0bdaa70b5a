/** Anthropic Messages API payloads in the documented (recorded) format. */

/** A message that read 8000 cached tokens, wrote 1500 (5-minute) + 500 (1-hour) and ran two web searches. */
export const messageCachedWithWebSearch = {
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
    server_tool_use: { web_search_requests: 2 },
    service_tier: 'standard',
  },
};

/** The events of a streamed message with a cache read. */
export const messageStreamEvents = [
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
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 4096,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
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

export const overloadedError = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };

export const invalidRequestError = {
  type: 'error',
  error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
};
