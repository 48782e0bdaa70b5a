export { close, listen } from './listen.mjs';
export { createProviderServer } from './providers.mjs';
export { createVllmServer } from './vllm.mjs';
