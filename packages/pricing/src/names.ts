/**
 * Provider and model names: the one table of provider spellings and the one model-name rule set, used by the price
 * book (catalog lookup), the cost core (the `gen_ai.provider.name` it writes) and reporting (the keys store rows and
 * invoice rows meet on).
 *
 * Every provider has one canonical id: the catalog provider id where the catalog prices it (`openai`, `google`,
 * `aws`, `azure`, `mistral`, `x-ai`, …). A spelling may also name an OTel `gen_ai.provider.name` value, which the
 * cost core writes on spans.
 */

/** A spelling of a provider: its canonical id and, where OTel names one, its `gen_ai.provider.name` value. */
interface ProviderSpelling {
  id: string;
  otel: string | undefined;
}

/** [spelling (lower case), canonical id, OTel gen_ai.provider.name value] */
const SPELLINGS: ReadonlyArray<readonly [string, string, string?]> = [
  // OTel gen_ai.provider.name values
  ['openai', 'openai', 'openai'],
  ['anthropic', 'anthropic', 'anthropic'],
  ['aws.bedrock', 'aws', 'aws.bedrock'],
  ['azure.ai.openai', 'azure', 'azure.ai.openai'],
  ['azure.ai.inference', 'azure', 'azure.ai.inference'],
  ['gcp.gen_ai', 'google', 'gcp.gen_ai'],
  ['gcp.vertex_ai', 'google', 'gcp.vertex_ai'],
  ['gcp.gemini', 'google', 'gcp.gemini'],
  ['cohere', 'cohere', 'cohere'],
  ['deepseek', 'deepseek', 'deepseek'],
  ['groq', 'groq', 'groq'],
  ['mistral_ai', 'mistral', 'mistral_ai'],
  ['x_ai', 'x-ai', 'x_ai'],
  ['perplexity', 'perplexity', 'perplexity'],
  ['ibm.watsonx.ai', 'ibm.watsonx.ai', 'ibm.watsonx.ai'],
  // AI SDK provider ids (matched after their first '.' is cut), OpenInference, LiteLLM and OpenRouter spellings
  ['google', 'google', 'gcp.gemini'],
  ['gemini', 'google', 'gcp.gemini'],
  ['google-generative-ai', 'google', 'gcp.gemini'],
  ['vertex', 'google', 'gcp.vertex_ai'],
  ['vertex_ai', 'google', 'gcp.vertex_ai'],
  ['vertexai', 'google', 'gcp.vertex_ai'],
  ['google-vertex', 'google', 'gcp.vertex_ai'],
  ['bedrock', 'aws', 'aws.bedrock'],
  ['amazon-bedrock', 'aws', 'aws.bedrock'],
  ['aws', 'aws', 'aws.bedrock'],
  ['azure', 'azure', 'azure.ai.openai'],
  ['azure-openai', 'azure', 'azure.ai.openai'],
  ['azure_openai', 'azure', 'azure.ai.openai'],
  ['mistral', 'mistral', 'mistral_ai'],
  ['mistralai', 'mistral', 'mistral_ai'],
  ['xai', 'x-ai', 'x_ai'],
  ['x-ai', 'x-ai', 'x_ai'],
  ['grok', 'x-ai', 'x_ai'],
  ['watsonx', 'ibm.watsonx.ai', 'ibm.watsonx.ai'],
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
  // Invoice and billing-export spellings (FOCUS ProviderName / PublisherName)
  ['microsoft', 'azure'],
  ['microsoft azure', 'azure'],
  ['amazon web services', 'aws'],
  ['amazon bedrock', 'aws'],
  ['google cloud', 'google'],
  ['gcp', 'google'],
];

const BY_SPELLING: ReadonlyMap<string, ProviderSpelling> = new Map(
  SPELLINGS.map(([spelling, id, otel]) => [spelling, { id, otel }]),
);

/** Known providers the catalog has no prices for: they are never looked up there. */
const UNCATALOGUED: ReadonlySet<string> = new Set(['ibm.watsonx.ai']);

/** The spelling a reported name is, directly or by the head of an AI SDK id ('openai.chat', 'google.vertex.chat'). */
function spellingOf(name: string, isCatalogId?: (id: string) => boolean): ProviderSpelling | undefined {
  const direct = BY_SPELLING.get(name);
  if (direct !== undefined || isCatalogId?.(name) === true) return direct;
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const head = name.slice(0, dot);
  // 'google.vertex.chat' is Vertex; 'google.generative-ai' is the Gemini API.
  if (head === 'google' && name.includes('vertex')) return BY_SPELLING.get('vertex');
  return BY_SPELLING.get(head);
}

/** The canonical provider id of a reported provider name ('x_ai', 'xAI', 'xai.chat' → 'x-ai'), or undefined when unknown. */
export function providerId(reported: string): string | undefined {
  return spellingOf(reported.trim().toLowerCase())?.id;
}

/**
 * The key store rows and invoice rows meet on: the canonical provider id, or the lower-cased name when the provider
 * is unknown; null for no name. 'gcp.gemini' → 'google', 'Microsoft' → 'azure', 'xAI' → 'x-ai'.
 */
export function providerKey(provider: string | null | undefined): string | null {
  if (provider == null) return null;
  const lower = provider.trim().toLowerCase();
  if (lower === '') return null;
  return spellingOf(lower)?.id ?? lower;
}

const otelMemo = new Map<string, string>();

/**
 * The OTel `gen_ai.provider.name` spelling of a reported provider where one applies ('mistralai' → 'mistral_ai',
 * 'xai.chat' → 'x_ai'); other names pass through lower-cased (memoized: it runs once per span).
 */
export function otelProviderName(reported: string): string {
  let name = otelMemo.get(reported);
  if (name === undefined) {
    const lower = reported.trim().toLowerCase();
    name = spellingOf(lower)?.otel ?? lower;
    if (otelMemo.size >= 1000) otelMemo.clear();
    otelMemo.set(reported, name);
  }
  return name;
}

/** True for providers whose raw API reports `input_tokens` WITHOUT the cache (Anthropic and Claude hosts). */
export function isAnthropicFamily(reported: string | undefined): boolean {
  return reported?.toLowerCase().includes('anthropic') === true;
}

/** True for Google Gemini / Vertex providers, whose raw API reports thoughts outside candidate tokens. */
export function isGoogleFamily(reported: string | undefined): boolean {
  if (reported === undefined) return false;
  const l = reported.toLowerCase();
  return l.startsWith('google') || l.startsWith('gcp.') || l.startsWith('vertex') || l === 'gemini';
}

/** Result of mapping a reported provider name to the catalog. */
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
  const known = spellingOf(name, isCatalogId);
  if (known !== undefined) {
    return UNCATALOGUED.has(known.id) ? { kind: 'uncatalogued', name: known.id } : { kind: 'catalog', id: known.id };
  }
  if (isCatalogId(name)) return { kind: 'catalog', id: name };
  const matched = catalogMatch(name);
  if (matched !== undefined) return { kind: 'catalog', id: matched };
  return { kind: 'unknown', name };
}

/** Maps a `provider/` model-name prefix (e.g. 'openai' in 'openai/gpt-4o') to a catalog id, if it names one. */
export function providerForPrefix(prefix: string, isCatalogId: (id: string) => boolean): string | undefined {
  const name = prefix.toLowerCase();
  const known = BY_SPELLING.get(name);
  if (known !== undefined) return UNCATALOGUED.has(known.id) ? undefined : known.id;
  return isCatalogId(name) ? name : undefined;
}

/** Google resource names: `models/gemini-2.5-flash`, `publishers/google/models/…`, `projects/p/locations/l/publishers/google/models/…`. */
const GOOGLE_RESOURCE = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?(?:publishers\/[^/]+\/)?models\//;

/** The one model-date rule: a trailing snapshot date -2025-04-16, -20250416 or @20250416 (Vertex). */
const TRAILING_DATE = /(?:[-@]20\d{2}-?\d{2}-?\d{2})$/;

/** Lower-cases, trims and removes a Google resource prefix. */
export function cleanModelName(model: string): string {
  return model.trim().toLowerCase().replace(GOOGLE_RESOURCE, '');
}

/** Splits `provider/model` into its prefix and the rest; undefined when there is no single leading segment. */
export function splitProviderPrefix(model: string): { prefix: string; rest: string } | undefined {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return undefined;
  return { prefix: model.slice(0, slash), rest: model.slice(slash + 1) };
}

/** The name without a trailing snapshot date, or undefined when it has none. */
export function withoutTrailingDate(model: string): string | undefined {
  const stripped = model.replace(TRAILING_DATE, '');
  return stripped !== model && stripped.length > 0 ? stripped : undefined;
}

/**
 * The key store rows and invoice rows meet on for a model: lower-cased, without any `provider/` or resource prefix,
 * snapshot date or `-latest`. 'openai/gpt-4o-2024-08-06' → 'gpt-4o', 'claude-sonnet-4@20250514' → 'claude-sonnet-4'.
 */
export function modelKey(model: string | null | undefined): string | null {
  if (model == null) return null;
  let m = model.trim().toLowerCase();
  if (m === '') return null;
  const slash = m.lastIndexOf('/');
  if (slash >= 0) m = m.slice(slash + 1);
  m = withoutTrailingDate(m) ?? m;
  return m.replace(/-latest$/, '');
}
