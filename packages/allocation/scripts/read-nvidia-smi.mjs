#!/usr/bin/env node
// Takes one reading with the costspan hardware sampler and prints it, to check the parser against a real GPU.
//   node packages/allocation/scripts/read-nvidia-smi.mjs            # runs nvidia-smi --query-gpu=… once
//   node packages/allocation/scripts/read-nvidia-smi.mjs --dcgm http://localhost:9400/metrics
// Prints the raw output first, then the parsed samples as JSON. Exit code 1 when nothing could be read.
import { execFileSync } from 'node:child_process';
// The hardware modules use only Node built-ins, so this runs with just the built dist/ (no node_modules).
import { HardwareSampler } from '../dist/hardware/hardware-sampler.js';
import { NVIDIA_SMI_ARGS } from '../dist/hardware/nvidia-smi.js';

const dcgmAt = process.argv.indexOf('--dcgm');
/** @type {import('../dist/index.js').HardwareSamplerSource} */
const source = dcgmAt > 0 ? { kind: 'dcgm', url: process.argv[dcgmAt + 1] } : { kind: 'nvidia-smi' };
if (source.kind === 'nvidia-smi') {
  try {
    console.log(`$ nvidia-smi ${NVIDIA_SMI_ARGS.join(' ')}`);
    console.log(execFileSync('nvidia-smi', NVIDIA_SMI_ARGS, { encoding: 'utf8', timeout: 5000 }).trimEnd());
  } catch (error) {
    console.log(`(raw run failed: ${error.message})`);
  }
}
let failure;
const sampler = new HardwareSampler({ source, onError: (error) => (failure = error) });
const samples = await sampler.sampleOnce();
if (samples.length === 0) {
  console.error(`no samples: ${failure?.message ?? 'unknown error'}`);
  process.exit(1);
}
// unknown values ([N/A], [Not Supported]) print as null rather than disappearing
console.log(JSON.stringify(samples, (_key, value) => (value === undefined ? null : value), 2));
