// Peer bench: per-call overhead of each arm (see arms.mjs) on the same openai client, the same loopback fake
// server (this process) and the same SDK pipeline (child.mjs), each arm in fresh processes, arms alternated with
// the order rotated per pass. Prints, per arm, the median over processes with the spread (min–max) of wall time,
// CPU time, V8 heap bytes allocated and OTLP protobuf bytes exported per call, and each arm's overhead and ratio
// against the no-instrumentation arm of the same run.
//
//   npm run bench -w @costspan/bench-peers
//   BENCH_PROCESSES (3) processes per arm; BENCH_ARMS=none,costspan to run some arms; BENCH_JSON=path to also
//   write the raw results; BENCH_MARKDOWN=1 to also print the table as Markdown; BENCH_FROM_JSON=path to print
//   the report of a saved run without running. The child's knobs (BENCH_WARMUP, BENCH_BLOCKS, BENCH_BLOCK_CALLS, …) pass through.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ARMS } from './arms.mjs';
import { startFakeServer } from './fake-server.mjs';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3);
const names = (process.env.BENCH_ARMS ?? Object.keys(ARMS).join(',')).split(',').filter((n) => n in ARMS);
if (!names.includes('none')) names.unshift('none');
const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
/** The same V8 flags for every arm: gc() for the allocation blocks, a young generation that holds one block. */
const NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];

/** Runs one arm in a fresh process; the server answers from this process meanwhile. */
export function runArm(arm, url, env = process.env) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...NODE_FLAGS, child, arm, url],
      { env, encoding: 'utf8', maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`arm '${arm}' failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  if (process.env.BENCH_FROM_JSON) {
    const saved = JSON.parse(readFileSync(process.env.BENCH_FROM_JSON, 'utf8'));
    report(saved.results ?? saved, saved.load ?? []);
    return;
  }
  const server = await startFakeServer();
  const results = Object.fromEntries(names.map((n) => [n, []]));
  const load = [loadavg()[0]];
  try {
    for (let pass = 0; pass < PROCESSES; pass++) {
      const order = names.map((_, i) => names[(i + pass) % names.length]);
      for (const arm of order) {
        results[arm].push(await runArm(arm, server.url));
        process.stderr.write('.');
      }
      load.push(loadavg()[0]);
    }
  } finally {
    await server.close();
  }
  process.stderr.write('\n');
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ results, load }, null, 2)}\n`);
  report(results, load);
}

function report(results, load) {
  const stat = (arm, key) => {
    const xs = results[arm].map((r) => r[key]).filter((x) => typeof x === 'number');
    return xs.length === 0 ? undefined : { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const fmt = (s, digits = 0) =>
    s === undefined ? 'n/a' : `${s.med.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  const base = { wall: stat('none', 'wallUs'), cpu: stat('none', 'cpuUs'), alloc: stat('none', 'allocBytes') };
  const processes = Math.max(...Object.values(results).map((r) => r.length));
  console.log(
    `peer bench: openai ${results.none[0]?.node ?? ''} chat.completions.create against a loopback fake server, ` +
      `BatchSpanProcessor + OTLP protobuf encode (no network export); ${processes} fresh processes per arm, ` +
      `arms alternated; ${cpus().length} CPUs, load average ${load.map((l) => l.toFixed(1)).join(' → ') || 'n/a'}`,
  );
  console.log('per call, median over processes (min–max):');
  const header = [
    'arm'.padEnd(46),
    'wall µs'.padStart(20),
    'CPU µs'.padStart(20),
    'heap B alloc'.padStart(24),
    'OTLP B'.padStart(8),
    '+CPU µs'.padStart(9),
    'CPU ×'.padStart(7),
    '+wall µs'.padStart(9),
    'wall ×'.padStart(7),
    '+heap B'.padStart(9),
    'cost',
  ];
  console.log(header.join(' '));
  for (const arm of Object.keys(results)) {
    const wall = stat(arm, 'wallUs');
    const cpu = stat(arm, 'cpuUs');
    const alloc = stat(arm, 'allocBytes');
    const bytes = stat(arm, 'exportedBytes');
    const plus = (s, b) => (s === undefined || b === undefined ? 'n/a' : (s.med - b.med).toFixed(0));
    const times = (s, b) => (s === undefined || b === undefined ? 'n/a' : (s.med / b.med).toFixed(3));
    console.log(
      [
        ARMS[arm].label.padEnd(46),
        fmt(wall).padStart(20),
        fmt(cpu).padStart(20),
        fmt(alloc).padStart(24),
        (bytes?.med.toFixed(0) ?? 'n/a').padStart(8),
        plus(cpu, base.cpu).padStart(9),
        times(cpu, base.cpu).padStart(7),
        plus(wall, base.wall).padStart(9),
        times(wall, base.wall).padStart(7),
        plus(alloc, base.alloc).padStart(9),
        ARMS[arm].writesCost ? 'yes' : 'no',
      ].join(' '),
    );
  }
  if (process.env.BENCH_MARKDOWN === '1') {
    console.log('');
    console.log(
      '| arm | cost on span | wall µs/call | CPU µs/call | heap B/call | OTLP B/call | + CPU µs | CPU × | + wall µs | + heap B |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const arm of Object.keys(results)) {
      const wall = stat(arm, 'wallUs');
      const cpu = stat(arm, 'cpuUs');
      const alloc = stat(arm, 'allocBytes');
      const bytes = stat(arm, 'exportedBytes');
      const plus = (s, b) => (s === undefined || b === undefined ? 'n/a' : (s.med - b.med).toFixed(0));
      const times = (s, b) => (s === undefined || b === undefined ? 'n/a' : (s.med / b.med).toFixed(3));
      console.log(
        `| ${ARMS[arm].label} | ${ARMS[arm].writesCost ? 'yes' : 'no'} | ${fmt(wall)} | ${fmt(cpu)} | ${fmt(alloc)} | ${bytes?.med.toFixed(0) ?? 'n/a'} | ${plus(cpu, base.cpu)} | ${times(cpu, base.cpu)} | ${plus(wall, base.wall)} | ${plus(alloc, base.alloc)} |`,
      );
    }
    console.log('');
  }
  console.log(
    'CPU: process.cpuUsage (user + system) of the client process; heap: process.memoryUsage().heapUsed growth after ' +
      'gc() over blocks with no GC inside; OTLP B: protobuf-encoded bytes per call; × and +: against the ' +
      'no-instrumentation arm of this run.',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
