export { OPENAI_SUPPORTED_VERSIONS, OpenAIInstrumentation } from './openai/instrumentation.js';
export type { GenAiInstrumentationConfig, OpenAIInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
