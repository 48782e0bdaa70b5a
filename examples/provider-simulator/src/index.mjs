export { close, listen } from './listen.mjs';
export { createProviderServer } from './providers.mjs';
export { cohereRerank, qdrantQuery, RETRIEVAL_COSTS, RETRIEVAL_RESOURCES } from './retrieval.mjs';
export { createVllmServer } from './vllm.mjs';
