/** OpenAI API payloads in the documented (recorded) format. */

/** A Chat Completion from a reasoning model whose prompt hit the cache. */
export const chatCompletionCachedReasoning = {
  id: 'chatcmpl-C3pQJ8wzR2Yb1o4v7dXkqHnZtE9sA',
  object: 'chat.completion',
  created: 1754400000,
  model: 'o4-mini-2025-04-16',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Paris is the capital of France.', refusal: null, annotations: [] },
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
      reasoning_tokens: 256,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: null,
};

function chunk(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  extra: Record<string, unknown> = {},
) {
  return {
    id: 'chatcmpl-C3pStreamA1b2c3d4e5f6g7h8i9j0',
    object: 'chat.completion.chunk',
    created: 1754400001,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_34a54ae93c',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  };
}

/** The chunks of a streamed Chat Completion (no usage). */
export const chatStreamChunks = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'The capital' }),
  chunk({ content: ' of France' }),
  chunk({ content: ' is Paris.' }),
  chunk({}, 'stop'),
];

/** The final chunk sent when `stream_options.include_usage` is true: empty choices, with usage. */
export const chatStreamUsageChunk = {
  id: 'chatcmpl-C3pStreamA1b2c3d4e5f6g7h8i9j0',
  object: 'chat.completion.chunk',
  created: 1754400001,
  model: 'gpt-4o-mini-2024-07-18',
  service_tier: 'default',
  system_fingerprint: 'fp_34a54ae93c',
  choices: [],
  usage: {
    prompt_tokens: 1534,
    completion_tokens: 9,
    total_tokens: 1543,
    prompt_tokens_details: { cached_tokens: 1408, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
};

export const rateLimitError = {
  error: {
    message: 'Rate limit reached for gpt-4o-mini in organization org-abc on tokens per min (TPM): Limit 200000.',
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

export const serverError = {
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  },
};

const response = {
  id: 'resp_68b1f2a3c4d5e6f708192a3b4c5d6e7f',
  object: 'response',
  created_at: 1754400100,
  status: 'completed',
  background: false,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-5-mini-2025-08-07',
  output: [
    {
      id: 'rs_68b1f2a3c4d5e6f7',
      type: 'reasoning',
      summary: [],
    },
    {
      id: 'msg_68b1f2a3c4d5e6f8',
      type: 'message',
      status: 'completed',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Bonjour!' }],
      role: 'assistant',
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: 'medium', summary: null },
  service_tier: 'flex',
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' }, verbosity: 'medium' },
  tool_choice: 'auto',
  tools: [],
  top_p: 1.0,
  truncation: 'disabled',
  usage: {
    input_tokens: 3120,
    input_tokens_details: { cached_tokens: 3072 },
    output_tokens: 706,
    output_tokens_details: { reasoning_tokens: 704 },
    total_tokens: 3826,
  },
  user: null,
  metadata: {},
};

/** A Response from a reasoning model served on the flex tier, with a cached prompt. */
export const responseCompleted = response;

/** The events of the same Response streamed. */
export const responseStreamEvents = [
  {
    type: 'response.created',
    sequence_number: 0,
    response: { ...response, status: 'in_progress', output: [], usage: null },
  },
  {
    type: 'response.in_progress',
    sequence_number: 1,
    response: { ...response, status: 'in_progress', output: [], usage: null },
  },
  {
    type: 'response.output_item.added',
    sequence_number: 2,
    output_index: 1,
    item: { id: 'msg_68b1f2a3c4d5e6f8', type: 'message', status: 'in_progress', content: [], role: 'assistant' },
  },
  {
    type: 'response.content_part.added',
    sequence_number: 3,
    item_id: 'msg_68b1f2a3c4d5e6f8',
    output_index: 1,
    content_index: 0,
    part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
  },
  {
    type: 'response.output_text.delta',
    sequence_number: 4,
    item_id: 'msg_68b1f2a3c4d5e6f8',
    output_index: 1,
    content_index: 0,
    delta: 'Bonjour!',
    logprobs: [],
  },
  {
    type: 'response.output_text.done',
    sequence_number: 5,
    item_id: 'msg_68b1f2a3c4d5e6f8',
    output_index: 1,
    content_index: 0,
    text: 'Bonjour!',
    logprobs: [],
  },
  { type: 'response.completed', sequence_number: 6, response },
];

/** An embeddings response (float encoding). */
export const embeddingsResponse = {
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: [0.0023064255, -0.009327292, 0.015797347] }],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 8, total_tokens: 8 },
};

/**
 * A Chat Completion from the GPT-5.6 family, which bills prompt-cache WRITES (1.25× input) and reports them in
 * `prompt_tokens_details.cache_write_tokens` (a subset of `prompt_tokens`, like `cached_tokens`).
 */
export const chatCompletionGpt56CacheWrite = {
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

/** A Responses API response from the GPT-5.6 family with cache writes (`input_tokens_details.cache_write_tokens`). */
export const responseGpt56CacheWrite = {
  id: 'resp_0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a0c',
  object: 'response',
  created_at: 1786000000,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-5.6-sol-2026-08-01',
  output: [
    {
      type: 'message',
      id: 'msg_0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a0d',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Done.', annotations: [] }],
    },
  ],
  service_tier: 'default',
  usage: {
    input_tokens: 10000,
    input_tokens_details: { cached_tokens: 4000, cache_write_tokens: 2000 },
    output_tokens: 1000,
    output_tokens_details: { reasoning_tokens: 200 },
    total_tokens: 11000,
  },
};
