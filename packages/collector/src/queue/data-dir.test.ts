import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, queueDir } from './data-dir.js';

describe('data directory', () => {
  it('is --data-dir when given, else beside the store file, else under XDG_STATE_HOME or ~/.local/state', () => {
    expect(defaultDataDir('/srv/q', '/var/lib/c.duckdb', { XDG_STATE_HOME: '/x' })).toBe('/srv/q');
    expect(defaultDataDir(undefined, '/var/lib/c.duckdb', { XDG_STATE_HOME: '/x' })).toBe('/var/lib/c.duckdb.data');
    expect(defaultDataDir(undefined, 'c.duckdb', {})).toBe(resolve('c.duckdb.data'));
    expect(defaultDataDir(undefined, ':memory:', { XDG_STATE_HOME: '/x' })).toBe('/x/costspan');
    expect(defaultDataDir(undefined, undefined, {})).toBe(join(homedir(), '.local', 'state', 'costspan'));
  });

  it('gives each exporter and URL its own queue directory', () => {
    const a = queueDir('/d', 'otlphttp/backend', 'http://a:4318/v1/traces');
    expect(a).toMatch(/^\/d\/queue\/otlphttp_backend-[0-9a-f]{12}$/);
    expect(queueDir('/d', 'otlphttp/backend', 'http://b:4318/v1/traces')).not.toBe(a);
    expect(queueDir('/d', 'otlphttp/backend', 'http://a:4318/v1/traces')).toBe(a);
  });
});
