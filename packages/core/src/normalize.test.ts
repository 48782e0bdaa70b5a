import * as shapes from '@costspan/testing/span-shapes';
import { describe, expect, it } from 'vitest';
import { mayBeInference } from './is-inference.js';
import { normalizeInference } from './normalize.js';
import type { AttrMap } from './record.js';

const norm = (attributes: AttrMap, name = 'span') => normalizeInference({ name, attributes });

describe('normalizeInference', () => {
  it('returns null at once for spans without usage (HTTP, DB)', () => {
    const http = { 'http.request.method': 'GET', 'url.full': 'https://example.com', 'http.response.status_code': 200 };
    expect(mayBeInference(http)).toBe(false);
    expect(norm(http, 'GET')).toBeNull();
  });

  it('reads OTel GenAI usage and prefers the response model (dated snapshot)', () => {
    const u = norm(shapes.openaiChat);
    expect(u).toMatchObject({
      dialect: 'otel',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      requestModel: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 200,
      serverAddress: 'api.openai.com',
      serverPort: 443,
    });
    expect(u?.corrections).toBeUndefined();
  });

  it('keeps OTel cache and reasoning as subsets (no double counting)', () => {
    expect(norm(shapes.anthropicOtel)).toMatchObject({
      inputTokens: 3100,
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
    });
    expect(norm(shapes.openaiReasoning)).toMatchObject({
      outputTokens: 1500,
      reasoningTokens: 1200,
      serviceTier: 'default',
    });
  });

  it('repairs Anthropic raw input (cache excluded) recorded under OTel names', () => {
    const u = norm(shapes.anthropicRawInOtelNames);
    expect(u).toMatchObject({ inputTokens: 3100, cacheReadTokens: 2000, cacheWriteTokens: 1000 });
    expect(u?.corrections).toEqual(['input-excluded-cache']);
  });

  it('reads OpenLLMetry legacy names, cache included in prompt tokens', () => {
    expect(norm(shapes.openllmetryAnthropic)).toMatchObject({
      dialect: 'openllmetry',
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      operation: 'chat',
      inputTokens: 3100,
      outputTokens: 500,
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
    });
  });

  it('never prices OpenLLMetry workflow spans, OpenInference chains or OTel agent spans', () => {
    expect(norm(shapes.openllmetryWorkflow)).toBeNull();
    expect(norm(shapes.openinferenceChain)).toBeNull();
    expect(norm(shapes.aiSdk7InvokeAgent, 'invoke_agent gpt-4o')).toBeNull();
    expect(norm(shapes.aiSdk7Chat, 'chat gpt-4o')).toMatchObject({ inputTokens: 1000, operation: 'chat' });
  });

  it('prices only the AI SDK provider call, never the outer span', () => {
    expect(norm(shapes.aiSdk4Outer, 'ai.generateText')).toBeNull();
    expect(norm(shapes.aiSdk4Inner, 'ai.generateText.doGenerate')).toMatchObject({
      dialect: 'ai-sdk',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1000,
      outputTokens: 500,
    });
    const { 'ai.operationId': _, ...unnamed } = shapes.aiSdk4Outer;
    expect(norm(unnamed, 'ai.streamText')).toBeNull();
  });

  it('adds the cache to AI SDK 5 Anthropic input (reads from usage, writes from provider metadata)', () => {
    const u = norm(shapes.aiSdk5AnthropicInner);
    expect(u).toMatchObject({
      provider: 'anthropic',
      inputTokens: 3100,
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
    });
  });

  it('adds Gemini thoughts to AI SDK 5 Google output', () => {
    expect(norm(shapes.aiSdk5GoogleInner)).toMatchObject({
      provider: 'gcp.gemini',
      outputTokens: 500,
      reasoningTokens: 300,
    });
  });

  it('takes AI SDK 6 totals and details as reported', () => {
    const u = norm(shapes.aiSdk6AnthropicInner);
    expect(u).toMatchObject({ inputTokens: 3100, cacheReadTokens: 2000, cacheWriteTokens: 1000, outputTokens: 500 });
    expect(u?.corrections).toBeUndefined();
  });

  it('reads AI SDK embeddings from ai.usage.tokens', () => {
    const u = norm(
      {
        'ai.operationId': 'ai.embedMany.doEmbed',
        'ai.model.id': 'text-embedding-3-small',
        'ai.model.provider': 'openai.embedding',
        'ai.usage.tokens': 42,
      },
      'ai.embedMany.doEmbed',
    );
    expect(u).toMatchObject({
      operation: 'embeddings',
      inputTokens: 42,
      outputTokens: 0,
      model: 'text-embedding-3-small',
    });
  });

  it('reads OpenInference LLM spans', () => {
    expect(norm(shapes.openinferenceLlm)).toMatchObject({
      dialect: 'openinference',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 200,
    });
  });

  it('reads vLLM server spans as self-hosted (provider vllm)', () => {
    expect(norm(shapes.vllmRequest, 'llm_request')).toMatchObject({
      dialect: 'vllm',
      provider: 'vllm',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      inputTokens: 812,
      outputTokens: 256,
    });
  });

  it('uses totals to detect reasoning reported outside output (raw Gemini thoughts)', () => {
    const u = norm({
      'gen_ai.system': 'gemini',
      'llm.request.type': 'chat',
      'gen_ai.request.model': 'gemini-2.5-pro',
      'gen_ai.usage.prompt_tokens': 1000,
      'gen_ai.usage.completion_tokens': 200,
      'gen_ai.usage.reasoning.output_tokens': 150,
      'llm.usage.total_tokens': 1350,
    });
    expect(u).toMatchObject({ outputTokens: 350, reasoningTokens: 150 });
    expect(u?.corrections).toEqual(['output-excluded-reasoning']);
  });

  it('returns a provider-reported cost with the usage', () => {
    expect(norm(shapes.openrouterWithCost)?.existingCost).toEqual({
      amount: 0.01042,
      currency: undefined,
      source: 'provider',
    });
    expect(norm({ 'gen_ai.usage.cost.amount': 0.5 })).toMatchObject({ dialect: 'provider-cost', hasTokens: false });
  });

  it('treats invalid counts as absent rather than guessing', () => {
    expect(norm({ 'gen_ai.usage.input_tokens': -5, 'gen_ai.request.model': 'gpt-4o' })).toBeNull();
    const u = norm({ 'gen_ai.usage.input_tokens': '120', 'gen_ai.usage.output_tokens': Number.NaN });
    expect(u).toMatchObject({ inputTokens: 120, outputTokens: 0 });
  });
});
