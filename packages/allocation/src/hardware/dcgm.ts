import { emptySample, type GpuSample } from './gpu-sample.js';

/** The DCGM exporter metrics the parser reads. */
export const DCGM_METRICS = [
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_PROF_SM_ACTIVE',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_DEV_POWER_USAGE',
] as const;

const LINE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  for (const m of text.matchAll(LABEL)) {
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/**
 * Parses a DCGM exporter scrape (Prometheus text format) into one sample per GPU, keyed by its `UUID` label
 * (or `gpu` index). `DCGM_FI_DEV_GPU_UTIL` is a percentage; the `PROF` metrics are already ratios.
 * Framebuffer total = used + free (MiB). Unknown metrics and comments are ignored.
 */
export function parseDcgmMetrics(text: string, now: number): GpuSample[] {
  const byGpu = new Map<string, GpuSample>();
  const frameBufferFree = new Map<string, number>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = line.match(LINE);
    if (!m) continue;
    const [, name, labelText, valueText, timestampText] = m;
    if (!(DCGM_METRICS as readonly string[]).includes(name!)) continue;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    const labels = parseLabels(labelText);
    const key = labels.UUID ?? labels.gpu ?? '';
    let sample = byGpu.get(key);
    if (!sample) {
      sample = emptySample('dcgm', timestampText ? Number(timestampText) : now);
      sample.uuid = labels.UUID;
      sample.index = labels.gpu !== undefined && labels.gpu !== '' ? Number(labels.gpu) : undefined;
      sample.modelName = labels.modelName;
      sample.hostname = labels.Hostname;
      byGpu.set(key, sample);
    }
    switch (name) {
      case 'DCGM_FI_DEV_GPU_UTIL':
        sample.utilization = value / 100;
        break;
      case 'DCGM_FI_PROF_GR_ENGINE_ACTIVE':
        sample.graphicsEngineActive = value;
        break;
      case 'DCGM_FI_PROF_SM_ACTIVE':
        sample.smActive = value;
        break;
      case 'DCGM_FI_DEV_FB_USED':
        sample.memoryUsedMiB = value;
        break;
      case 'DCGM_FI_DEV_FB_FREE':
        frameBufferFree.set(key, value);
        break;
      case 'DCGM_FI_DEV_POWER_USAGE':
        sample.powerWatts = value;
        break;
    }
  }
  for (const [key, free] of frameBufferFree) {
    const sample = byGpu.get(key);
    if (sample?.memoryUsedMiB !== undefined) sample.memoryTotalMiB = sample.memoryUsedMiB + free;
  }
  return [...byGpu.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
}
