/**
 * Provider names as telemetry reports them → catalog provider ids.
 *
 * Sources: OTel `gen_ai.provider.name` (and the deprecated `gen_ai.system`), Vercel AI SDK provider ids
 * (`openai.chat`, `anthropic.messages`, `google.generative-ai`, `amazon-bedrock`), OpenInference `llm.provider`,
 * and `provider/model` prefixes. `null` means "known provider without catalog prices" (e.g. IBM watsonx).
 */

const PROVIDER_ALIASES: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  // OTel gen_ai.provider.name values
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['aws.bedrock', 'aws'],
  ['azure.ai.openai', 'azure'],
  ['azure.ai.inference', 'azure'],
  ['gcp.gen_ai', 'google'],
  ['gcp.vertex_ai', 'google'],
  ['gcp.gemini', 'google'],
  ['cohere', 'cohere'],
  ['deepseek', 'deepseek'],
  ['groq', 'groq'],
  ['mistral_ai', 'mistral'],
  ['x_ai', 'x-ai'],
  ['perplexity', 'perplexity'],
  ['ibm.watsonx.ai', null],
  // AI SDK / OpenInference / LiteLLM spellings (after the first '.' is cut)
  ['google', 'google'],
  ['gemini', 'google'],
  ['vertex', 'google'],
  ['vertex_ai', 'google'],
  ['vertexai', 'google'],
  ['google-vertex', 'google'],
  ['bedrock', 'aws'],
  ['amazon-bedrock', 'aws'],
  ['aws', 'aws'],
  ['azure', 'azure'],
  ['azure-openai', 'azure'],
  ['azure_openai', 'azure'],
  ['mistral', 'mistral'],
  ['mistralai', 'mistral'],
  ['xai', 'x-ai'],
  ['x-ai', 'x-ai'],
  ['grok', 'x-ai'],
  ['togetherai', 'together'],
  ['together', 'together'],
  ['together_ai', 'together'],
  ['fireworks', 'fireworks'],
  ['fireworks_ai', 'fireworks'],
  ['cerebras', 'cerebras'],
  ['openrouter', 'openrouter'],
  ['moonshotai', 'moonshotai'],
  ['moonshot', 'moonshotai'],
  ['zhipuai', 'zhipuai'],
  ['watsonx', null],
]);

/** Result of mapping a reported provider name. */
export type ProviderLookup =
  | { kind: 'catalog'; id: string }
  | { kind: 'uncatalogued'; name: string }
  | { kind: 'unknown'; name: string };

/**
 * Maps a reported provider to a catalog provider id. `isCatalogId` answers whether a string is itself a catalog
 * provider id (e.g. 'huggingface_groq'), and `catalogMatch` lets the catalog's own provider matching have a say.
 */
export function lookupProvider(
  reported: string,
  isCatalogId: (id: string) => boolean,
  catalogMatch: (name: string) => string | undefined,
): ProviderLookup {
  const name = reported.trim().toLowerCase();
  const direct = PROVIDER_ALIASES.get(name);
  if (direct !== undefined) return direct === null ? { kind: 'uncatalogued', name } : { kind: 'catalog', id: direct };
  if (isCatalogId(name)) return { kind: 'catalog', id: name };
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = PROVIDER_ALIASES.get(name.slice(0, dot));
    if (head !== undefined) return head === null ? { kind: 'uncatalogued', name } : { kind: 'catalog', id: head };
  }
  const matched = catalogMatch(name);
  if (matched !== undefined) return { kind: 'catalog', id: matched };
  return { kind: 'unknown', name };
}

/** Maps a `provider/` model-name prefix (e.g. 'openai' in 'openai/gpt-4o') to a catalog id, if it names one. */
export function providerForPrefix(prefix: string, isCatalogId: (id: string) => boolean): string | undefined {
  const name = prefix.toLowerCase();
  const alias = PROVIDER_ALIASES.get(name);
  if (alias !== undefined) return alias ?? undefined;
  return isCatalogId(name) ? name : undefined;
}
