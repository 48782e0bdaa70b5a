import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDcgmMetrics } from './dcgm.js';
import { HardwareSampler } from './hardware-sampler.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const fake = join(fixtures, 'fake-nvidia-smi.mjs');
const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);

describe('nvidia-smi parser', () => {
  it('reads one sample per GPU line of the documented query', () => {
    const samples = parseNvidiaSmi(read('nvidia-smi-8xh100.csv'), NOW);
    expect(samples).toHaveLength(8);
    expect(samples[0]).toMatchObject({
      source: 'nvidia-smi',
      index: 0,
      uuid: 'GPU-3b7b1c5e-2f4a-4c8e-9d1b-0a2b3c4d5e60',
      utilization: 1,
      memoryUsedMiB: 74215,
      memoryTotalMiB: 81559,
      powerWatts: 611.42,
      timestamp: new Date(2026, 2, 2, 12, 0, 0, 512).getTime(),
    });
    expect(samples.map((s) => s.utilization)).toEqual([1, 0.97, 0, 0, 0.41, 0.38, 0.12, 0.09]);
  });

  it('keeps [N/A] and [Not Supported] as unknown, never as 0, and skips malformed lines', () => {
    const samples = parseNvidiaSmi(`${read('nvidia-smi-mig-na.csv')}garbage line\n`, NOW);
    expect(samples.map((s) => [s.index, s.utilization, s.memoryUsedMiB, s.powerWatts])).toEqual([
      [0, undefined, 10250, undefined],
      [1, undefined, 0, 71.3],
    ]);
  });
});

describe('DCGM exporter parser', () => {
  it('reads utilization, engine and SM activity, memory and power per GPU', () => {
    const samples = parseDcgmMetrics(read('dcgm-exporter.txt'), NOW);
    expect(samples).toEqual([
      expect.objectContaining({
        source: 'dcgm',
        index: 0,
        uuid: 'GPU-3b7b1c5e-2f4a-4c8e-9d1b-0a2b3c4d5e60',
        utilization: 1,
        graphicsEngineActive: 0.734512,
        smActive: 0.51288,
        memoryUsedMiB: 74215,
        memoryTotalMiB: 81041,
        powerWatts: 611.423,
        modelName: 'NVIDIA H100 80GB HBM3',
        hostname: 'gpu-a',
        timestamp: NOW,
      }),
      expect.objectContaining({ index: 1, utilization: 0, graphicsEngineActive: 0, smActive: 0, memoryUsedMiB: 533 }),
    ]);
  });
});

describe('HardwareSampler', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('runs nvidia-smi, reports samples and keeps a bounded history for window means', async () => {
    const seen: number[] = [];
    const sampler = new HardwareSampler({
      source: {
        kind: 'nvidia-smi',
        command: process.execPath,
        args: [fake, join(fixtures, 'nvidia-smi-8xh100.csv'), ...NVIDIA_SMI_ARGS],
      },
      historySize: 2,
      onSample: (samples) => seen.push(samples.length),
    });
    for (let i = 0; i < 3; i++) await sampler.sampleOnce();
    expect(seen).toEqual([8, 8, 8]);
    expect(sampler.latest()).toHaveLength(8);
    const at = new Date(2026, 2, 2, 12, 0, 0, 512).getTime();
    const means = sampler.meanUtilization(at, at + 1);
    expect(means).toHaveLength(8);
    expect(means[4]).toMatchObject({ index: 4, samples: 2, utilization: 0.41, graphicsEngineActive: undefined });
  });

  it('reports a failing command once, never throws, and reports again after a success', async () => {
    const errors: string[] = [];
    const failing = new HardwareSampler({
      source: { kind: 'nvidia-smi', command: process.execPath, args: [fake, 'fail', ...NVIDIA_SMI_ARGS] },
      onError: (error) => errors.push(error.message),
    });
    await expect(failing.sampleOnce()).resolves.toEqual([]);
    await expect(failing.sampleOnce()).resolves.toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/failed/);
    const missing = new HardwareSampler({
      source: { kind: 'nvidia-smi', command: '/nonexistent/nvidia-smi' },
      onError: () => {
        throw new Error('host callback broke');
      },
    });
    await expect(missing.sampleOnce()).resolves.toEqual([]);
  });

  it('scrapes a DCGM exporter endpoint on an unref’d interval', async () => {
    let status = 200;
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(status === 200 ? read('dcgm-exporter.txt') : 'down');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const errors: Error[] = [];
    const received: number[] = [];
    let twice: () => void = () => {};
    const gotTwo = new Promise<void>((resolve) => {
      twice = resolve;
    });
    const sampler = new HardwareSampler({
      source: { kind: 'dcgm', url },
      intervalMs: 10,
      now: () => NOW,
      onSample: (s) => {
        received.push(s.length);
        if (received.length === 2) twice();
      },
      onError: (e) => errors.push(e),
    });
    sampler.start();
    sampler.start();
    await gotTwo;
    sampler.stop();
    await sampler.sampleOnce();
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.every((n) => n === 2)).toBe(true);
    expect(sampler.meanUtilization(NOW, NOW + 1)[0]).toMatchObject({ graphicsEngineActive: 0.734512 });
    status = 503;
    await sampler.sampleOnce();
    expect(errors.map((e) => e.message)).toEqual([`DCGM exporter ${url} answered 503`]);
  });
});
