#!/usr/bin/env node
// Checked-in entry point so `npm ci` links the command before anything is built; the command itself is
// dist/collector-bin.js, produced by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/collector-bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`costspan-collector: not built yet: run \`npm run build\` in the repository first\n`);
  process.exit(1);
}
await import(entry.href);
