import { describe, expect, it } from 'vitest';
import { catalogProviderMatch, isCatalogProviderId } from './catalog.js';
import { lookupProvider, providerForPrefix } from './provider-map.js';

const lookup = (name: string) => lookupProvider(name, isCatalogProviderId, catalogProviderMatch);

describe('provider mapping', () => {
  it('maps every OTel gen_ai.provider.name value', () => {
    const expected: Record<string, string> = {
      openai: 'openai',
      anthropic: 'anthropic',
      'aws.bedrock': 'aws',
      'azure.ai.openai': 'azure',
      'azure.ai.inference': 'azure',
      'gcp.gen_ai': 'google',
      'gcp.vertex_ai': 'google',
      'gcp.gemini': 'google',
      cohere: 'cohere',
      deepseek: 'deepseek',
      groq: 'groq',
      mistral_ai: 'mistral',
      x_ai: 'x-ai',
      perplexity: 'perplexity',
    };
    for (const [otel, catalog] of Object.entries(expected)) {
      expect(lookup(otel)).toEqual({ kind: 'catalog', id: catalog });
    }
    expect(lookup('ibm.watsonx.ai')).toEqual({ kind: 'uncatalogued', name: 'ibm.watsonx.ai' });
  });

  it('maps AI SDK provider ids and catalog spellings', () => {
    expect(lookup('openai.chat')).toEqual({ kind: 'catalog', id: 'openai' });
    expect(lookup('openai.responses')).toEqual({ kind: 'catalog', id: 'openai' });
    expect(lookup('anthropic.messages')).toEqual({ kind: 'catalog', id: 'anthropic' });
    expect(lookup('google.generative-ai')).toEqual({ kind: 'catalog', id: 'google' });
    expect(lookup('google.vertex.chat')).toEqual({ kind: 'catalog', id: 'google' });
    expect(lookup('amazon-bedrock')).toEqual({ kind: 'catalog', id: 'aws' });
    expect(lookup('xai.chat')).toEqual({ kind: 'catalog', id: 'x-ai' });
    expect(lookup('Huggingface_Groq')).toEqual({ kind: 'catalog', id: 'huggingface_groq' });
    expect(lookup('together_ai')).toEqual({ kind: 'catalog', id: 'together' });
    expect(lookup('vllm')).toEqual({ kind: 'unknown', name: 'vllm' });
  });

  it('recognizes provider prefixes of model names', () => {
    expect(providerForPrefix('openai', isCatalogProviderId)).toBe('openai');
    expect(providerForPrefix('google', isCatalogProviderId)).toBe('google');
    expect(providerForPrefix('meta-llama', isCatalogProviderId)).toBeUndefined();
  });
});
