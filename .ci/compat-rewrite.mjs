// Rewrites the package.json files of a scratch copy for the compatibility leg: every @opentelemetry/*
// dependency moves to the newest published line, and Node 24 is added so `node_modules/.bin/node` is v24.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
const latest = new Map();
const newest = (name) => {
  if (!latest.has(name)) {
    latest.set(
      name,
      execFileSync('npm', ['view', name, 'version'], { encoding: 'utf8' }).trim().split('\n').pop().trim(),
    );
  }
  return latest.get(name);
};
// Packages that stay on their 2.x line upstream and whose peer range excludes the newest API: drop them
// (our code and tests use @opentelemetry/sdk-trace, which carries the same classes).
const DROP = new Set(['@opentelemetry/sdk-trace-base']);
const files = [join(root, 'package.json')];
for (const dir of ['packages', 'examples']) {
  const d = join(root, dir);
  if (!existsSync(d)) continue;
  for (const name of readdirSync(d))
    if (existsSync(join(d, name, 'package.json'))) files.push(join(d, name, 'package.json'));
}
for (const dir of ['test', 'test/conformance', 'bench/peers'])
  if (existsSync(join(root, dir, 'package.json'))) files.push(join(root, dir, 'package.json'));
const pkgs = new Map();
for (const f of files) {
  const pkg = JSON.parse(readFileSync(f, 'utf8'));
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (!deps) continue;
    for (const name of Object.keys(deps)) {
      if (!name.startsWith('@opentelemetry/')) continue;
      if (DROP.has(name)) {
        delete deps[name];
        continue;
      }
      if (field === 'peerDependencies') continue; // peer ranges already admit the newest line
      deps[name] = newest(name);
    }
  }
  pkgs.set(f, pkg);
}
const rootPkg = pkgs.get(files[0]);
rootPkg.devDependencies = { ...rootPkg.devDependencies, node: '^24' };
// The same newest versions everywhere in the tree, transitive ones included.
rootPkg.overrides = Object.fromEntries([...latest].filter(([n]) => n !== '@opentelemetry/semantic-conventions'));
for (const [f, pkg] of pkgs) writeFileSync(f, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(
  `compat: newest OTel line: ${[...latest].map(([n, v]) => `${n}@${v}`).join(', ') || '(no OTel dependencies yet)'}`,
);
