import type { SandboxIsolation } from "@longshot/sandbox";

/**
 * What an E2B sandbox enforces: a microVM of its own (files, processes) with egress denied
 * unless `limits.network`, and commands pinned to `limits.cpuCores` cores when the template's
 * VM has more. Memory is the template's (`e2b template build --memory-mb`), so `memory` is false.
 */
export const e2bIsolation: SandboxIsolation = {
  network: true,
  filesystem: true,
  processes: true,
  cpu: true,
  memory: false,
};
