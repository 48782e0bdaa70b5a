import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompareCommand } from '../src/reporting/compare-command.js';
import { captureIo } from './helpers/capture-io.js';
import { createStore, octoberSpans, tempDir } from './helpers/store-fixture.js';

describe('costspan compare', () => {
  it('prints self-hosted cost per request beside API prices and the hand-computed break-even', async () => {
    const io = captureIo();
    const code = await runCompareCommand(
      [
        '--rate',
        '2.49',
        '--throughput',
        '12000',
        '--input-tokens',
        '1000',
        '--cached-tokens',
        '200',
        '--output-tokens',
        '500',
        '--model',
        'openai:gpt-4o-mini',
        '--model',
        'claude-haiku-4-5',
        '--format',
        'json',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.selfHosted.map((p: { costPerRequest: string }) => p.costPerRequest)).toEqual([
      '0.002075',
      '0.0010375',
      '0.000415',
      '0.000259375',
      '0.0002075',
    ]);
    // $2.49/h ÷ $0.000435 per request = 5724.14 requests/h
    expect(result.api[0]).toMatchObject({ model: 'gpt-4o-mini', pricePerRequest: '0.000435' });
    expect(result.api[0].breakEvenPerHour).toBeCloseTo(5724.137931, 5);
    // claude-haiku-4-5: 800 × $1/M + 200 × $0.10/M + 500 × $5/M = $0.00332 → 750 requests/h
    expect(result.api[1]).toMatchObject({ model: 'claude-haiku-4-5', pricePerRequest: '0.00332' });
    expect(result.api[1].breakEvenPerHour).toBeCloseTo(750, 6);

    const table = captureIo();
    await runCompareCommand(
      [
        '--rate',
        '2.49',
        '--throughput',
        '12000',
        '--input-tokens',
        '1000',
        '--output-tokens',
        '500',
        '--model',
        'gpt-4o-mini',
      ],
      table,
    );
    expect(table.out()).toMatch(/10%\s+\$0\.002075/);
  });

  it('reads the node rate, throughput and token profile from the store', async () => {
    const store = join(tempDir(), 'costspan.duckdb');
    const { spans } = octoberSpans();
    await createStore(store, spans);
    const io = captureIo();
    expect(
      await runCompareCommand(['--store', store, '--node', 'gpu-a', '--model', 'gpt-4o-mini', '--format', 'json'], io),
    ).toBe(0);
    const result = JSON.parse(io.out());
    // 2 windows × $0.0415 over 120 s = $2.49/h; 3 requests in 30 busy seconds = 360 requests/h
    expect(result.hourlyRate).toBe('2.49');
    expect(result.throughputPerHour).toBe(360);
    expect(result.profile).toEqual({ inputTokens: 500, cachedTokens: 0, outputTokens: 200 });
  });

  it('rejects missing or bad flags with exit code 2', async () => {
    const io = captureIo();
    expect(
      await runCompareCommand(
        ['--rate', '2.49', '--throughput', '100', '--input-tokens', '1', '--output-tokens', '1'],
        io,
      ),
    ).toBe(2);
    expect(io.err()).toMatch(/at least one --model/);
    const bad = captureIo();
    expect(await runCompareCommand(['--rate', 'cheap', '--model', 'x'], bad)).toBe(2);
    expect(bad.err()).toMatch(/--rate must be USD per hour/);
  });
});
