/** The `gpu` section: self-hosted GPU nodes, validated by @costspan/allocation. */
import { type GpuConfig, GpuConfigError, resolveGpuConfig } from '@costspan/allocation';
import type { ConfigProblem } from './problem.js';

/**
 * `gpu: { nodes: [...], window?, method?, … }` (the @costspan/allocation shape). Every problem is reported at its
 * path (`gpu.nodes[0].hourlyRate`); returns the section as given when it is valid.
 */
export function parseGpu(value: unknown, path: string, problems: ConfigProblem[]): GpuConfig | undefined {
  try {
    resolveGpuConfig(value);
    return value as GpuConfig;
  } catch (error) {
    if (!(error instanceof GpuConfigError)) throw error;
    // @costspan/allocation names paths from a `gpu` root.
    for (const issue of error.issues) {
      const at = issue.path === 'gpu' || issue.path.startsWith('gpu.') ? path + issue.path.slice(3) : issue.path;
      problems.push({ path: at, message: issue.message });
    }
    return undefined;
  }
}
