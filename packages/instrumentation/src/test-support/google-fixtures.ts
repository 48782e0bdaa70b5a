/** Gemini API payloads in the documented (recorded) format. */

/** A thinking model's answer with an implicit cache hit. */
export const generateContentThinkingCached = {
  candidates: [
    {
      content: { parts: [{ text: 'Photosynthesis turns light into chemical energy.' }], role: 'model' },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 2310,
    candidatesTokenCount: 95,
    totalTokenCount: 2905,
    cachedContentTokenCount: 2048,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 2310 }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 2048 }],
    thoughtsTokenCount: 500,
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mKy8aJ2pO4CWz7IPqeHn-Ag',
};

/** Streamed chunks: each carries the usage so far; the last one the total. */
export const generateContentStreamChunks = [
  {
    candidates: [{ content: { parts: [{ text: 'Photosynthesis' }], role: 'model' }, index: 0 }],
    usageMetadata: { promptTokenCount: 12, totalTokenCount: 412, thoughtsTokenCount: 400 },
    modelVersion: 'gemini-2.5-pro',
    responseId: 'nKy8aOzXLYGVz7IP_9WbmQw',
  },
  {
    candidates: [
      { content: { parts: [{ text: ' turns light into energy.' }], role: 'model' }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: 12,
      candidatesTokenCount: 9,
      totalTokenCount: 421,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
      thoughtsTokenCount: 400,
    },
    modelVersion: 'gemini-2.5-pro',
    responseId: 'nKy8aOzXLYGVz7IP_9WbmQw',
  },
];

export const resourceExhausted = {
  error: {
    code: 429,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    status: 'RESOURCE_EXHAUSTED',
  },
};

export const internalError = {
  error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' },
};
