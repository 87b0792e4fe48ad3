import type { SandboxIsolation } from "@longshot/sandbox";

/**
 * What a Modal sandbox enforces: a container of its own under gVisor (files, processes), no
 * network unless `limits.network` (`blockNetwork`), and the CPU and memory of `limits` as both
 * reservation and hard limit.
 */
export const modalIsolation: SandboxIsolation = {
  network: true,
  filesystem: true,
  processes: true,
  cpu: true,
  memory: true,
};
