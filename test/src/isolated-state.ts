/**
 * Test setup: the collector's persistent queues default to $XDG_STATE_HOME/costspan; every test file (and every
 * collector process it starts) gets its own fresh state directory, never the developer's home.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'costspan-state-'));
