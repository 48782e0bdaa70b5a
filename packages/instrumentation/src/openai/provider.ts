import {
  GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI,
  GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK,
  GEN_AI_PROVIDER_NAME_VALUE_GROQ,
  GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
  GEN_AI_PROVIDER_NAME_VALUE_PERPLEXITY,
  GEN_AI_PROVIDER_NAME_VALUE_X_AI,
} from '@opentelemetry/semantic-conventions/incubating';

/** Hosted OpenAI-compatible APIs whose OTel provider name differs from `openai`. */
const HOSTS: ReadonlyArray<readonly [suffix: string, provider: string]> = [
  ['.openai.azure.com', GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI],
  ['api.deepseek.com', GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK],
  ['api.groq.com', GEN_AI_PROVIDER_NAME_VALUE_GROQ],
  ['api.mistral.ai', GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI],
  ['api.perplexity.ai', GEN_AI_PROVIDER_NAME_VALUE_PERPLEXITY],
  ['api.x.ai', GEN_AI_PROVIDER_NAME_VALUE_X_AI],
];

/**
 * `gen_ai.provider.name` for an `openai` client: the hosted provider its base URL names, else `openai` (the API the
 * client speaks). A self-hosted server (vLLM, Ollama, llama.cpp) keeps `openai` and is told apart by `server.address`.
 */
export function openaiProvider(host: string | undefined): string {
  if (host) {
    for (const [suffix, provider] of HOSTS) {
      if (host === suffix || host.endsWith(suffix)) return provider;
    }
  }
  return GEN_AI_PROVIDER_NAME_VALUE_OPENAI;
}
