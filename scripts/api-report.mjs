#!/usr/bin/env node
// The public API of each published package, as API Extractor reads it from the built `dist/index.d.ts`, checked in
// as `packages/<dir>/api/<name>.api.md` so that an export cannot slip in (or out, or change shape) unnoticed.
//
//   npm run api:report            # after `npm run build`: rewrites the reports; review and commit the diff
//   npm run api:check             # fails, printing the difference, when a report is out of date (CI runs this)
//   node scripts/api-report.mjs --check pricing processor   # only these packages (directory names)
//
// API Extractor analyses declaration files with its own bundled TypeScript, so it does not depend on the
// compiler that produced them (the repository builds with TypeScript 7's native tsc).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));

/** Every workspace package under packages/ that is published (not `private`), by directory name. */
function publishedPackages() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
    .map((d) => ({
      dir: d.name,
      pkg: JSON.parse(readFileSync(join(root, 'packages', d.name, 'package.json'), 'utf8')),
    }))
    .filter(({ pkg }) => pkg.private !== true)
    .filter(({ dir }) => only.length === 0 || only.includes(dir));
}

const temp = mkdtempSync(join(tmpdir(), 'costspan-api-'));
const stale = [];
try {
  for (const { dir, pkg } of publishedPackages()) {
    const projectFolder = join(root, 'packages', dir);
    const entry = join(projectFolder, 'dist', 'index.d.ts');
    if (!existsSync(entry)) throw new Error(`${pkg.name}: ${entry} does not exist (run \`npm run build\` first)`);
    const reportFolder = join(projectFolder, 'api');
    if (!check) mkdirSync(reportFolder, { recursive: true });
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder,
        mainEntryPointFilePath: entry,
        compiler: {
          overrideTsconfig: {
            compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: ['node'] },
            include: ['dist'],
          },
        },
        apiReport: { enabled: true, reportFolder, reportTempFolder: join(temp, dir) },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
          // Release tags and TSDoc style are not this check's business: it guards what is exported.
          extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(projectFolder, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      messageCallback: (message) => {
        // Whether a report changed, and what to do about it, is this script's to tell, below.
        const id = String(message.messageId ?? '');
        if (
          id.startsWith('console-api-report') ||
          id.startsWith('console-preamble') ||
          id === 'console-compiler-version-notice'
        )
          message.handled = true;
      },
    });
    if (!result.succeeded && !(check && result.apiReportChanged)) {
      throw new Error(`${pkg.name}: API Extractor failed (${result.errorCount} errors)`);
    }
    const reportName = config.reportConfigs[0]?.fileName ?? `${pkg.name.split('/').pop()}.api.md`;
    if (result.apiReportChanged) {
      stale.push(pkg.name);
      if (check) {
        const current = join(reportFolder, reportName);
        const fresh = join(temp, dir, reportName);
        console.log(`\n${pkg.name}: the public API differs from ${join('packages', dir, 'api', reportName)}:`);
        spawnSync(
          'git',
          ['--no-pager', 'diff', '--no-index', '--', existsSync(current) ? current : '/dev/null', fresh],
          {
            stdio: 'inherit',
          },
        );
      } else {
        console.log(`${pkg.name}: wrote packages/${dir}/api/${reportName}`);
      }
    } else {
      console.log(`${pkg.name}: API report up to date`);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (check && stale.length > 0) {
  console.error(
    `\napi:check: the public API of ${stale.join(', ')} changed without its report. If the change is intended, ` +
      'run `npm run build && npm run api:report` and commit the updated packages/*/api/*.api.md with it.',
  );
  process.exit(1);
}
