import { execFile } from 'node:child_process';
import { parseDcgmMetrics } from './dcgm.js';
import type { GpuSample } from './gpu-sample.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi.js';

export type HardwareSamplerSource =
  | {
      kind: 'nvidia-smi';
      /** Executable, default `nvidia-smi`. */
      command?: string;
      /** Arguments, default the documented `--query-gpu=… --format=csv,noheader,nounits`. */
      args?: readonly string[];
    }
  | {
      kind: 'dcgm';
      /** The exporter's metrics endpoint, e.g. `http://localhost:9400/metrics`. */
      url: string;
    };

export interface HardwareSamplerOptions {
  source: HardwareSamplerSource;
  /** Time between readings, ms. Default 5_000. */
  intervalMs?: number;
  /** A reading that takes longer than this is abandoned, ms. Default 3_000. */
  timeoutMs?: number;
  /** Readings kept per GPU for `meanUtilization`. Default 720 (an hour at 5 s). */
  historySize?: number;
  /** Called with every successful reading. Must not throw; if it does, the error is reported via onError. */
  onSample?: (samples: GpuSample[]) => void;
  /** Called once per distinct failure (again only after a success): the sampler never throws into its host. */
  onError?: (error: Error) => void;
  /** Clock used when a reading carries no timestamp of its own. Default `Date.now`. */
  now?: () => number;
}

/** Per-GPU means over a time range, beside the span-derived busy fraction. */
export interface GpuUtilizationSummary {
  uuid: string | undefined;
  index: number | undefined;
  samples: number;
  utilization: number | undefined;
  graphicsEngineActive: number | undefined;
  smActive: number | undefined;
}

/**
 * Reads GPU utilization on an interval from `nvidia-smi` or a DCGM exporter. The timer is unref'd (it never
 * keeps a process alive), a reading never overlaps the previous one, failures are reported once through
 * `onError` and never thrown, and history is bounded.
 */
export class HardwareSampler {
  private readonly options: Required<Omit<HardwareSamplerOptions, 'onSample' | 'onError'>> &
    Pick<HardwareSamplerOptions, 'onSample' | 'onError'>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private pending: Promise<GpuSample[]> | undefined;
  private lastError: string | undefined;
  private readonly history = new Map<string, GpuSample[]>();
  private latestSamples: GpuSample[] = [];

  constructor(options: HardwareSamplerOptions) {
    this.options = {
      intervalMs: 5_000,
      timeoutMs: 3_000,
      historySize: 720,
      now: Date.now,
      ...options,
    };
  }

  /** Starts reading on the interval (first reading at once). Calling it twice does nothing. */
  start(): void {
    if (this.timer) return;
    void this.sampleOnce();
    this.timer = setInterval(() => void this.sampleOnce(), this.options.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Takes one reading now (or joins the one in progress). Resolves to the samples, or to [] on failure
   * (reported via onError); never rejects.
   */
  sampleOnce(): Promise<GpuSample[]> {
    this.pending ??= this.takeReading().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async takeReading(): Promise<GpuSample[]> {
    try {
      const samples = await this.read();
      this.lastError = undefined;
      this.remember(samples);
      try {
        this.options.onSample?.(samples);
      } catch (error) {
        this.report(error);
      }
      return samples;
    } catch (error) {
      this.report(error);
      return [];
    }
  }

  /** The last successful reading. */
  latest(): GpuSample[] {
    return this.latestSamples;
  }

  /** Per-GPU means of the readings with timestamps in [fromMs, toMs), e.g. one allocation window. */
  meanUtilization(fromMs: number, toMs: number): GpuUtilizationSummary[] {
    const summaries: GpuUtilizationSummary[] = [];
    for (const samples of this.history.values()) {
      const inRange = samples.filter((s) => s.timestamp >= fromMs && s.timestamp < toMs);
      if (inRange.length === 0) continue;
      const mean = (pick: (s: GpuSample) => number | undefined) => {
        const values = inRange.map(pick).filter((v): v is number => v !== undefined);
        return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
      };
      summaries.push({
        uuid: inRange[0]!.uuid,
        index: inRange[0]!.index,
        samples: inRange.length,
        utilization: mean((s) => s.utilization),
        graphicsEngineActive: mean((s) => s.graphicsEngineActive),
        smActive: mean((s) => s.smActive),
      });
    }
    return summaries.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  private async read(): Promise<GpuSample[]> {
    const { source, timeoutMs } = this.options;
    if (source.kind === 'nvidia-smi') {
      const output = await runCommand(source.command ?? 'nvidia-smi', source.args ?? NVIDIA_SMI_ARGS, timeoutMs);
      const samples = parseNvidiaSmi(output, this.options.now());
      if (samples.length === 0) throw new Error(`nvidia-smi printed no GPU lines: ${output.trim().slice(0, 200)}`);
      return samples;
    }
    const response = await fetch(source.url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`DCGM exporter ${source.url} answered ${response.status}`);
    const samples = parseDcgmMetrics(await response.text(), this.options.now());
    if (samples.length === 0) throw new Error(`DCGM exporter ${source.url} reported no GPU metrics`);
    return samples;
  }

  private remember(samples: GpuSample[]): void {
    this.latestSamples = samples;
    for (const sample of samples) {
      const key = sample.uuid ?? `index:${sample.index}`;
      let list = this.history.get(key);
      if (!list) {
        list = [];
        this.history.set(key, list);
      }
      list.push(sample);
      if (list.length > this.options.historySize) list.splice(0, list.length - this.options.historySize);
    }
  }

  private report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    try {
      this.options.onError?.(err);
    } catch {
      // the host's error callback failed too; there is nobody left to tell
    }
  }
}

function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1 << 20, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}${stderr ? ` (${String(stderr).trim()})` : ''}`));
      else resolve(String(stdout));
    });
  });
}
