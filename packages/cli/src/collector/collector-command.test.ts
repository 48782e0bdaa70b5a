import { CollectorConfigError } from '@costspan/collector';
import { describe, expect, it } from 'vitest';
import { collectorConfigFromArgs } from './collector-command.js';

function keyOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CollectorConfigError) return error.key;
    throw error;
  }
  return undefined;
}

describe('costspan collector flags', () => {
  it('sets each flag on the collector configuration', () => {
    const config = collectorConfigFromArgs(
      [
        '--listen',
        '127.0.0.1:0',
        '--forward',
        'http://a:4318',
        '--forward-header',
        'x-team=t',
        '--forward-protocol',
        'http/json',
        '--store',
        'x.duckdb',
        '--queue-size',
        '10',
        '--no-persistent-queue',
        '--shutdown-timeout',
        '3s',
        '--debug',
      ],
      {},
    );
    expect(config.receiver.endpoint).toBe('127.0.0.1:0');
    expect(config.forward).toHaveLength(1);
    expect(config.forward[0]).toMatchObject({
      protocol: 'http/json',
      headers: { 'x-team': 't' },
      queueSize: 10,
      persistent: false,
    });
    expect(config.store).toEqual({ path: 'x.duckdb' });
    expect(config.shutdownTimeoutMs).toBe(3000);
    expect(config.debug).toEqual({ verbosity: 'detailed' });
  });

  it('names the arguments for an unknown flag or a missing value, the flag for a bad value', () => {
    expect(keyOf(() => collectorConfigFromArgs(['--frobnicate'], {}))).toBe('arguments');
    expect(keyOf(() => collectorConfigFromArgs(['--store'], {}))).toBe('arguments');
    expect(keyOf(() => collectorConfigFromArgs(['--queue-size', '0'], {}))).toBe('--queue-size');
  });
});
