/** Normalization of provider and model names so store rows and invoice rows meet on the same key. */

const PROVIDER_ALIASES: Record<string, string> = {
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  microsoft: 'azure',
  'microsoft azure': 'azure',
  'aws.bedrock': 'aws',
  'amazon web services': 'aws',
  'amazon bedrock': 'aws',
  'gcp.gen_ai': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gemini': 'google',
  'google cloud': 'google',
  gcp: 'google',
  'openai.chat': 'openai',
  'openai.responses': 'openai',
  'anthropic.messages': 'anthropic',
  x_ai: 'xai',
  mistral_ai: 'mistral',
};

/** 'gcp.gemini' → 'google', 'OpenAI' → 'openai'. */
export function normalizeProvider(provider: string | null | undefined): string | null {
  if (provider == null) return null;
  const lower = provider.trim().toLowerCase();
  if (lower === '') return null;
  return PROVIDER_ALIASES[lower] ?? lower;
}

/** 'openai/gpt-4o-2024-08-06' → 'gpt-4o', 'claude-sonnet-4-20250514' → 'claude-sonnet-4', 'models/gemini-2.5-flash' → 'gemini-2.5-flash'. */
export function normalizeModel(model: string | null | undefined): string | null {
  if (model == null) return null;
  let m = model.trim().toLowerCase();
  if (m === '') return null;
  const slash = m.lastIndexOf('/');
  if (slash >= 0) m = m.slice(slash + 1);
  m = m.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
  m = m.replace(/-latest$/, '');
  return m;
}
