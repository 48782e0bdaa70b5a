export { ANTHROPIC_SUPPORTED_VERSIONS, AnthropicInstrumentation } from './anthropic/instrumentation.js';
export { GOOGLE_GENAI_SUPPORTED_VERSIONS, GoogleGenAIInstrumentation } from './google-genai/instrumentation.js';
export { OPENAI_SUPPORTED_VERSIONS, OpenAIInstrumentation } from './openai/instrumentation.js';
export type { GenAiInstrumentationConfig, OpenAIInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
