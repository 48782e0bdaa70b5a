import type {
  COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_DCGM,
  COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_NVIDIA_SMI,
} from '@costspan/semconv';

/**
 * Where a hardware reading came from: the hardware values of the GPU utilization source attribute, typed from
 * the generated conventions (a type-only import, so the hardware modules load with Node built-ins alone).
 */
export type HardwareSource =
  | typeof COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_NVIDIA_SMI
  | typeof COSTSPAN_GPU_UTILIZATION_SOURCE_VALUE_DCGM;

/**
 * One reading of one GPU. Fractions are 0..1; a value the hardware did not report (`[N/A]`,
 * `[Not Supported]`, a missing metric) is undefined, never 0.
 */
export interface GpuSample {
  source: HardwareSource;
  /** ms since the epoch: the tool's own timestamp when it gives one, else when the reading was taken. */
  timestamp: number;
  index: number | undefined;
  uuid: string | undefined;
  /**
   * NVML `utilization.gpu` / `DCGM_FI_DEV_GPU_UTIL` as a fraction: the share of the sample period in which
   * any kernel ran. It overstates use (one small kernel reads as busy); prefer `graphicsEngineActive`.
   */
  utilization: number | undefined;
  /** `DCGM_FI_PROF_GR_ENGINE_ACTIVE`: fraction of time the graphics/compute engine was active. */
  graphicsEngineActive: number | undefined;
  /** `DCGM_FI_PROF_SM_ACTIVE`: fraction of time at least one warp was resident, averaged over SMs. */
  smActive: number | undefined;
  memoryUsedMiB: number | undefined;
  memoryTotalMiB: number | undefined;
  powerWatts: number | undefined;
  modelName: string | undefined;
  hostname: string | undefined;
}

export function emptySample(source: HardwareSource, timestamp: number): GpuSample {
  return {
    source,
    timestamp,
    index: undefined,
    uuid: undefined,
    utilization: undefined,
    graphicsEngineActive: undefined,
    smActive: undefined,
    memoryUsedMiB: undefined,
    memoryTotalMiB: undefined,
    powerWatts: undefined,
    modelName: undefined,
    hostname: undefined,
  };
}
