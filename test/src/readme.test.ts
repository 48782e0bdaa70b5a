/**
 * The root README works as written on a fresh clone: clone this repository's committed HEAD into a temporary
 * directory, then run every shell command of README.md's `sh` blocks there, exactly as printed and in order
 * (`npm ci && npm run demo` first), each with `bash -c` in the clone's root and a PATH without this checkout's
 * node_modules/.bin, so `npx costspan …` must find the bin that `npm ci` linked in the clone. The commands are read
 * from README.md, so an edit to the README is tested as it lands. Only the commands in SKIPPED are not run, each
 * with the reason; SKIPPED entries must still be in the README (a stale entry fails).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runToEnd } from './run-process.ts';

/** Commands not run, by their first words, and why. */
const SKIPPED: ReadonlyArray<{ startsWith: string; reason: string }> = [
  { startsWith: 'npm test', reason: 'the suite this test is part of (it would run itself); CI runs it' },
  {
    startsWith: 'OTEL_SERVICE_NAME=support-bot',
    reason: "a template for the reader's own app.js, exporting to their collector host (not on this machine)",
  },
  {
    startsWith: 'npx costspan collector --listen',
    reason:
      "a server that runs until stopped, forwarding to the reader's backend host; `npx costspan collector --help` " +
      'is run from the clone below, and the collector itself by the collector and live-report tests',
  },
  {
    startsWith: 'npx costspan report --collector',
    reason: 'asks a running collector; test/src/live-report.test.ts runs it against one',
  },
];

/** What a command must print (stdout and stderr together), by a pattern on the command. Every command must exit 0. */
const EXPECTED: ReadonlyArray<{ command: RegExp; output: RegExp }> = [
  { command: /^npm ci && npm run demo/, output: /Done in [\d.]+ s; every process stopped\./ },
  { command: /^npx costspan report .*--by day,feature/, output: /^TOTAL\s+\d+\s/m },
  { command: /^npx costspan report .*--top 20/, output: /Top 20 requests by cost/ },
  { command: /^npx costspan report .*--what-if/, output: /What if model=gpt-4o-mini where feature=summarize/ },
  { command: /^npx costspan report .*--revenue .*--cap-requests/, output: /capped at 1000 requests/ },
  { command: /^npx costspan report .*--revenue/, output: /Margin by tenant[\s\S]*acme/ },
  { command: /^npx costspan report .*--format html/, output: /wrote costspan-demo\/report\.html/ },
  { command: /^npx costspan reconcile/, output: /estimate \$[\d.]+\s+invoice \$[\d.]+/ },
  { command: /^npx costspan forecast .*--by tenant/, output: /forecast \d{4}-\d{2} by tenant[\s\S]*acme/ },
  { command: /^npx costspan consolidate/, output: /^observed \(1\)\s+540\s/m },
  { command: /^npx costspan export/, output: /exported \d+ inference_spans/ },
  { command: /^npx costspan compare/, output: /break-even/ },
  { command: /^npx costspan price --model gpt-4o/, output: /total\s+\$0\.007 USD/ },
];

/** Shell commands of the README's ```sh / ```bash / ```shell blocks: continuation lines joined, comment-only lines dropped. */
function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  const blocks = markdown.matchAll(/^```(?:sh|bash|shell|console)\n([\s\S]*?)^```$/gm);
  for (const [, body] of blocks) {
    let pending = '';
    for (const line of body!.split('\n')) {
      if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
      if (line.endsWith('\\')) {
        pending += `${line}\n`;
        continue;
      }
      commands.push(pending + line);
      pending = '';
    }
  }
  return commands;
}

const gitCheckout = existsSync(join(repoRoot, '.git'));
const dirs: string[] = [];
// The clone holds a full install (about a gigabyte of node_modules): removing it takes minutes on a busy machine.
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}, 10 * 60_000);

/** This process's environment for a user's shell: no npm/vitest run state, no node_modules/.bin of this checkout. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|INIT_CWD$|NODE_OPTIONS$|COSTSPAN_)/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules'))
    .join(delimiter);
  return env;
}

describe('README.md as written, on a fresh clone', () => {
  it('reads the commands from README.md, and every skipped one is still there', () => {
    const commands = readmeCommands(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    expect(commands[0]).toMatch(/^npm ci && npm run demo/);
    for (const skip of SKIPPED)
      expect(
        commands.some((c) => c.startsWith(skip.startsWith)),
        skip.startsWith,
      ).toBe(true);
    expect(commands.filter((c) => c.startsWith('npx costspan ')).length).toBeGreaterThanOrEqual(10);
  });

  // The compatibility leg runs in a copy of the tree without git history and with its own lock file: a fresh clone
  // installed from the lock file is what the main leg tests.
  it.runIf(gitCheckout)(
    'clone, npm ci, the demo, then every command of the README exits 0 and prints what it is for',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'costspan-readme-'));
      dirs.push(dir);
      const clone = join(dir, 'costspan');
      const cloned = await runToEnd('git', ['clone', '--quiet', repoRoot, clone], { cwd: dir, timeoutMs: 120_000 });
      expect(cloned.code, cloned.stderr).toBe(0);

      const env = userEnv();
      const commands = readmeCommands(readFileSync(join(clone, 'README.md'), 'utf8'));
      const ran: string[] = [];
      for (const command of commands) {
        if (SKIPPED.some((s) => command.startsWith(s.startsWith))) continue;
        const run = await runToEnd('bash', ['-c', command], { cwd: clone, env, timeoutMs: 8 * 60_000 });
        const shown = `$ ${command}\n--- stdout\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`;
        expect(run.code, shown).toBe(0);
        const expected = EXPECTED.find((e) => e.command.test(command));
        if (expected) expect(run.stdout + run.stderr, shown).toMatch(expected.output);
        else expect((run.stdout + run.stderr).trim(), shown).not.toBe('');
        ran.push(command);
      }
      expect(ran.length).toBe(commands.length - SKIPPED.length);

      // The collector's bin is linked in the clone too (the skipped `npx costspan collector` line).
      const help = await runToEnd('bash', ['-c', 'npx costspan collector --help'], {
        cwd: clone,
        env,
        timeoutMs: 60_000,
      });
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout + help.stderr).toMatch(/--listen/);
      // What the report commands wrote.
      expect(existsSync(join(clone, 'costspan-demo', 'report.html'))).toBe(true);
      expect(existsSync(join(clone, 'costspan-demo', 'lake'))).toBe(true);
    },
    20 * 60_000,
  );
});
