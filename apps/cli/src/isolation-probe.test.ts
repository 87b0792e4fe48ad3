import { loadConfig } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { probeIsolation } from "./isolation-probe.js";

const { config } = loadConfig({
  env: { LLM_BASE_URL: "http://127.0.0.1:9/v1", SANDBOX_CPU_CORES: "1.5", SANDBOX_MEMORY_MB: "2048" },
});
const bubblewrap = async () => ({ ok: true as const, programs: {} as never });

describe("what doctor says of local CPU and memory limits", () => {
  it("names the limits when each sandbox gets a cgroup", async () => {
    const report = await probeIsolation(config, "/usr/bin:/bin", {
      bubblewrap,
      cgroups: async () => ({ ok: true, support: { version: 1, memoryParent: "/m", cpuParent: "/c" } }),
    });
    expect(report.status).toBe("isolated");
    expect(report.limits).toMatch(/; 1\.5 CPU cores and 2048 MB of memory per sandbox \(a cgroup each\)$/);
  });

  it("says they are not enforced, why, and what to do, when no cgroup can be made", async () => {
    const report = await probeIsolation(config, "/usr/bin:/bin", {
      bubblewrap,
      cgroups: async () => ({
        ok: false,
        problem: "cgroups cannot be created here (EACCES: permission denied)",
      }),
    });
    expect(report.limits).toContain(
      "CPU and memory limits are not enforced by local sandboxes here: cgroups cannot be created here (EACCES: permission denied) (run as a user who may create cgroups, or use --sandbox docker for SANDBOX_CPU_CORES and SANDBOX_MEMORY_MB)",
    );
  });
});
