import type { Config } from "@longshot/core";
import type { SandboxLimits } from "./sandbox.js";

/** Limits matching the documented configuration defaults. */
export const defaultSandboxLimits: SandboxLimits = {
  wallTimeoutMs: 1_800_000,
  idleTimeoutMs: 300_000,
  cpuCores: 4,
  memoryMb: 8192,
  network: false,
  diskMb: 2048,
};

/** Sandbox limits from the validated configuration (WORKER_TIMEOUT is the wall timeout). */
export function sandboxLimitsFromConfig(
  config: Pick<
    Config,
    | "WORKER_TIMEOUT"
    | "SANDBOX_IDLE_TIMEOUT"
    | "SANDBOX_CPU_CORES"
    | "SANDBOX_MEMORY_MB"
    | "SANDBOX_NETWORK"
    | "SANDBOX_DISK_MB"
  >,
): SandboxLimits {
  return {
    wallTimeoutMs: config.WORKER_TIMEOUT * 1000,
    idleTimeoutMs: config.SANDBOX_IDLE_TIMEOUT * 1000,
    cpuCores: config.SANDBOX_CPU_CORES,
    memoryMb: config.SANDBOX_MEMORY_MB,
    network: config.SANDBOX_NETWORK,
    diskMb: config.SANDBOX_DISK_MB,
  };
}
