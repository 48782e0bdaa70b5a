import { emptySample, type GpuSample } from './gpu-sample.js';

/** The query the parser expects, in this column order. */
export const NVIDIA_SMI_QUERY = 'timestamp,index,uuid,utilization.gpu,memory.used,memory.total,power.draw';

/** Arguments for one reading: `nvidia-smi <args>`. */
export const NVIDIA_SMI_ARGS: readonly string[] = [`--query-gpu=${NVIDIA_SMI_QUERY}`, '--format=csv,noheader,nounits'];

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('[')) return undefined; // [N/A], [Not Supported], [Unknown Error]
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * nvidia-smi prints its timestamp as local time, `YYYY/MM/DD HH:MM:SS.mmm`, without a zone; it is read in
 * the zone of the process running it (the same machine, when the sampler runs the command).
 */
function parseTimestamp(text: string | undefined): number | undefined {
  const m = text?.trim().match(/^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number((ms ?? '0').padEnd(3, '0')),
  ).getTime();
}

/**
 * Parses the output of `nvidia-smi --query-gpu=timestamp,index,uuid,utilization.gpu,memory.used,memory.total,
 * power.draw --format=csv,noheader,nounits`: one line per GPU (and per sample with `-lms`). Lines that do not
 * have the seven columns are skipped. `now` stamps lines whose timestamp cannot be read.
 */
export function parseNvidiaSmi(output: string, now: number): GpuSample[] {
  const samples: GpuSample[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 7) continue;
    const [timestamp, index, uuid, util, used, total, power] = cells;
    const sample = emptySample('nvidia-smi', parseTimestamp(timestamp) ?? now);
    sample.index = numberOrUndefined(index);
    sample.uuid = uuid && !uuid.startsWith('[') ? uuid : undefined;
    const utilization = numberOrUndefined(util);
    sample.utilization = utilization === undefined ? undefined : utilization / 100;
    sample.memoryUsedMiB = numberOrUndefined(used);
    sample.memoryTotalMiB = numberOrUndefined(total);
    sample.powerWatts = numberOrUndefined(power);
    samples.push(sample);
  }
  return samples;
}
