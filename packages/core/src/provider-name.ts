/**
 * Provider spellings of the AI SDK (`openai.chat`, `google.generative-ai`), OpenInference (`mistralai`,
 * `vertexai`) and OpenLLMetry, mapped to OTel `gen_ai.provider.name` values so attributes and metrics use one
 * vocabulary. Unknown names pass through unchanged (lowercased); the price book understands both.
 */
const OTEL_PROVIDER: ReadonlyMap<string, string> = new Map([
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google', 'gcp.gemini'],
  ['gemini', 'gcp.gemini'],
  ['google-generative-ai', 'gcp.gemini'],
  ['vertex', 'gcp.vertex_ai'],
  ['vertexai', 'gcp.vertex_ai'],
  ['vertex_ai', 'gcp.vertex_ai'],
  ['google-vertex', 'gcp.vertex_ai'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['aws', 'aws.bedrock'],
  ['azure', 'azure.ai.openai'],
  ['azure-openai', 'azure.ai.openai'],
  ['mistral', 'mistral_ai'],
  ['mistralai', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['groq', 'groq'],
  ['deepseek', 'deepseek'],
  ['cohere', 'cohere'],
  ['perplexity', 'perplexity'],
]);

/** `gcp.gemini`, `aws.bedrock`, … are already OTel values; their first segment must not be cut. */
const OTEL_VALUES: ReadonlySet<string> = new Set([
  'openai',
  'anthropic',
  'aws.bedrock',
  'azure.ai.openai',
  'azure.ai.inference',
  'gcp.gen_ai',
  'gcp.vertex_ai',
  'gcp.gemini',
  'cohere',
  'ibm.watsonx.ai',
  'perplexity',
  'x_ai',
  'deepseek',
  'groq',
  'mistral_ai',
]);

const memo = new Map<string, string>();

/** Maps a reported provider name to the OTel `gen_ai.provider.name` spelling where one applies (memoized). */
export function otelProviderName(reported: string): string {
  let name = memo.get(reported);
  if (name === undefined) {
    name = mapProviderName(reported);
    if (memo.size >= 1000) memo.clear();
    memo.set(reported, name);
  }
  return name;
}

function mapProviderName(reported: string): string {
  const lower = reported.toLowerCase();
  if (OTEL_VALUES.has(lower)) return lower;
  const direct = OTEL_PROVIDER.get(lower);
  if (direct !== undefined) return direct;
  // AI SDK ids carry the API after a dot: 'openai.chat', 'google.generative-ai', 'vertex.anthropic'.
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const head = lower.slice(0, dot);
    // 'google.vertex.chat' is Vertex; 'google.generative-ai' is the Gemini API.
    if (head === 'google' && lower.includes('vertex')) return 'gcp.vertex_ai';
    const mapped = OTEL_PROVIDER.get(head);
    if (mapped !== undefined) return mapped;
  }
  return lower;
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
