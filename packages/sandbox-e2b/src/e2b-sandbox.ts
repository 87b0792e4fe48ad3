import type { SandboxIsolation } from "@longshot/sandbox";

/**
 * What an E2B sandbox enforces: a microVM of its own (files, processes) with egress denied
 * unless `limits.network`. CPU and memory come from the template, not from `limits`.
 */
export const e2bIsolation: SandboxIsolation = {
  network: true,
  filesystem: true,
  processes: true,
  cpu: false,
  memory: false,
};
