import { describe, expect, it } from 'vitest';
import { catalogProviderMatch, isCatalogProviderId } from './catalog.js';
import { lookupProvider, modelKey, otelProviderName, providerForPrefix, providerId, providerKey } from './names.js';

const lookup = (name: string) => lookupProvider(name, isCatalogProviderId, catalogProviderMatch);

describe('provider names', () => {
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

  it('gives every spelling of a provider one id: telemetry, catalog and invoice spellings of xAI meet', () => {
    for (const name of ['x_ai', 'xai', 'x-ai', 'xAI', 'grok', 'xai.chat', 'xai.responses']) {
      expect(providerId(name)).toBe('x-ai');
      expect(providerKey(name)).toBe('x-ai');
      expect(otelProviderName(name)).toBe('x_ai');
    }
    expect(lookup('x_ai')).toEqual({ kind: 'catalog', id: providerId('x_ai') });
  });

  it('keys invoice spellings on the same ids as telemetry spellings', () => {
    expect(providerKey('Microsoft')).toBe('azure');
    expect(providerKey('azure.ai.openai')).toBe('azure');
    expect(providerKey('Amazon Web Services')).toBe('aws');
    expect(providerKey('aws.bedrock')).toBe('aws');
    expect(providerKey('Google Cloud')).toBe('google');
    expect(providerKey('gcp.vertex_ai')).toBe('google');
    expect(providerKey('mistral_ai')).toBe('mistral');
    expect(providerKey('openai.chat')).toBe('openai');
    expect(providerKey('vllm')).toBe('vllm');
    expect(providerKey('  ')).toBeNull();
    expect(providerKey(null)).toBeNull();
  });

  it('writes OTel gen_ai.provider.name values and passes unknown names through lower-cased', () => {
    expect(otelProviderName('google.generative-ai')).toBe('gcp.gemini');
    expect(otelProviderName('google.vertex.chat')).toBe('gcp.vertex_ai');
    expect(otelProviderName('vertex.anthropic')).toBe('gcp.vertex_ai');
    expect(otelProviderName('amazon-bedrock')).toBe('aws.bedrock');
    expect(otelProviderName('MistralAI')).toBe('mistral_ai');
    expect(otelProviderName('gcp.gen_ai')).toBe('gcp.gen_ai');
    expect(otelProviderName('together_ai')).toBe('together_ai');
    expect(otelProviderName('vLLM')).toBe('vllm');
  });

  it("keys models without provider prefix, snapshot date or -latest, with the price book's date rule", () => {
    expect(modelKey('openai/gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(modelKey('claude-sonnet-4-20250514')).toBe('claude-sonnet-4');
    expect(modelKey('claude-3-5-sonnet@20240620')).toBe('claude-3-5-sonnet');
    expect(modelKey('models/gemini-2.5-flash')).toBe('gemini-2.5-flash');
    expect(modelKey('Grok-4-Latest')).toBe('grok-4');
    expect(modelKey('gpt-4-0613')).toBe('gpt-4-0613');
    expect(modelKey('')).toBeNull();
  });
});
