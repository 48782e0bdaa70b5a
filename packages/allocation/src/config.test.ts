import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpuConfigError, loadGpuConfigFile, resolveGpuConfig } from './config.js';

describe('gpu configuration', () => {
  it('fills documented defaults and resolves rates exactly', () => {
    const config = resolveGpuConfig({
      nodes: [
        { id: 'gpu-a', hourlyRate: 3.6, match: { 'server.address': 'vllm.internal', 'server.port': 8000 } },
        { id: 'gpu-b', gpus: 8, gpuHourlyRate: 6.88, startTime: '2026-03-01T00:00:00Z', currency: 'EUR' },
      ],
    });
    expect(config).toMatchObject({
      windowMs: 60_000,
      method: 'time',
      idle: 'separate',
      mode: 'streaming',
      maxHeldSpans: 10_000,
      maxRequestAgeMs: 3_600_000,
      overhead: { kind: 'none' },
      tokenWeights: { input: 1, cachedInput: 0.1, output: 4 },
    });
    expect(config.nodes[0]).toMatchObject({ hourlyRate: { num: 18n, den: 5n }, currency: 'USD', startUs: undefined });
    expect(config.nodes[1]).toMatchObject({
      hourlyRate: { num: 1376n, den: 25n },
      currency: 'EUR',
      startUs: Date.UTC(2026, 2, 1) * 1000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad path, applies nothing and leaves the input untouched', () => {
    const input = {
      nodes: [
        { id: 'gpu-a', hourlyRate: 3.6 },
        { id: 'gpu-b', hourlyRate: -1, match: { 'server.port': 8000 } },
        { id: 'gpu-a', gpus: 2.5, gpuHourlyRate: 2 },
      ],
      window: 0,
      method: 'tokens-ish',
      overhead: { percent: 5, monthlyBudget: 10 },
      tokenWeights: { output: -4 },
    };
    const snapshot = JSON.stringify(input);
    let error: GpuConfigError | undefined;
    try {
      resolveGpuConfig(input);
    } catch (e) {
      error = e as GpuConfigError;
    }
    expect(error).toBeInstanceOf(GpuConfigError);
    expect(error!.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        'gpu.nodes[1].hourlyRate: must be a positive number',
        "gpu.nodes[1].match['server.port']: needs 'server.address' beside it",
        'gpu.nodes[2].gpus: must be a positive integer',
        'gpu.window: must be a whole number of milliseconds between 1 and 86400000',
        'gpu.method: must be one of time, tokens, requests',
        'gpu.overhead: must have exactly one of percent or monthlyBudget',
        'gpu.tokenWeights.output: must be a number from 0 to 1000000',
      ]),
    );
    expect(error!.message).toContain('gpu.nodes[1].hourlyRate: must be a positive number');
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  it('rejects duplicates, unknown options and mixed currencies under a budget', () => {
    expect(() =>
      resolveGpuConfig({
        nodes: [
          { id: 'a', hourlyRate: 1 },
          { id: 'a', hourlyRate: 1, currency: 'EUR' },
        ],
        overhead: { monthlyBudget: 10 },
        idle: 'both',
      }),
    ).toThrowError(
      /gpu\.nodes\[1\]\.id: duplicates node id 'a'[\s\S]*gpu\.idle: must be one of separate, shared[\s\S]*gpu\.overhead\.monthlyBudget: needs every node in one currency/,
    );
    expect(() => resolveGpuConfig({ nodes: [{ id: 'a', hourlyRate: 1, colour: 'red' }] })).toThrowError(
      /gpu\.nodes\[0\]\.colour: is not a known node option/,
    );
    expect(() => resolveGpuConfig({ nodes: [] })).toThrowError(/gpu\.nodes: must be a non-empty array/);
    expect(() => resolveGpuConfig(null)).toThrowError(/gpu: must be an object/);
  });

  it('loads YAML and JSON files, with errors that name the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costspan-gpu-'));
    const yamlPath = join(dir, 'gpu.yaml');
    writeFileSync(
      yamlPath,
      [
        'gpu:',
        '  window: 30000',
        '  idle: shared',
        '  overhead: { percent: 12.5 }',
        '  nodes:',
        '    - id: gpu-a',
        '      hourlyRate: 3.60',
        '      match:',
        '        resource: { host.name: gpu-a }',
      ].join('\n'),
    );
    const config = loadGpuConfigFile(yamlPath);
    expect(config).toMatchObject({ windowMs: 30_000, idle: 'shared', overhead: { kind: 'percent' } });
    expect(config.nodes[0]!.match).toEqual({ resource: { 'host.name': 'gpu-a' } });

    const jsonPath = join(dir, 'gpu.json');
    writeFileSync(
      jsonPath,
      JSON.stringify({
        nodes: [
          { id: 'a', hourlyRate: 1 },
          { id: 'b', hourlyRate: 'cheap' },
        ],
      }),
    );
    expect(() => loadGpuConfigFile(jsonPath)).toThrowError(
      `${jsonPath}: gpu.nodes[1].hourlyRate: must be a positive number`,
    );
    writeFileSync(jsonPath, '{ nodes: [');
    expect(() => loadGpuConfigFile(jsonPath)).toThrowError(/gpu\.json: gpu: not valid YAML\/JSON/);
    expect(() => loadGpuConfigFile(join(dir, 'missing.yaml'))).toThrowError(/missing\.yaml: gpu: cannot read file/);
  });
});
