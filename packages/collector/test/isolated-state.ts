/**
 * Test setup: persistent queues are on by default and live under $XDG_STATE_HOME/costspan; every test file
 * gets its own fresh state directory so nothing leaks between files, runs or into the developer's home.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'costspan-state-'));
