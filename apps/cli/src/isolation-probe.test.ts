import { loadConfig } from "@longshot/core";
import { localSandboxBackend } from "@longshot/sandbox";
import { describe, expect, it } from "vitest";
import { probeIsolation } from "./isolation-probe.js";

const { config } = loadConfig({
  env: { LLM_BASE_URL: "http://127.0.0.1:9/v1", SANDBOX_CPU_CORES: "1.5", SANDBOX_MEMORY_MB: "2048" },
});
const bubblewrap = async () => ({ ok: true as const, programs: {} as never });

describe("what doctor says of local CPU and memory limits", () => {
  it("names the limits when each sandbox gets a cgroup", async () => {
    const local = localSandboxBackend({
      bubblewrap,
      cgroups: async () => ({ ok: true, support: { version: 1, memoryParent: "/m", cpuParent: "/c" } }),
    });
    const report = await probeIsolation(config, { path: "/usr/bin:/bin", backends: { local } });
    expect(report.status).toBe("isolated");
    expect(report.limits).toMatch(/; 1\.5 CPU cores and 2048 MB of memory per sandbox \(a cgroup each\)$/);
  });

  it("says they are not enforced, why, and what to do, when no cgroup can be made", async () => {
    const local = localSandboxBackend({
      bubblewrap,
      cgroups: async () => ({
        ok: false,
        problem: "cgroups cannot be created here (EACCES: permission denied)",
      }),
    });
    const report = await probeIsolation(config, { path: "/usr/bin:/bin", backends: { local } });
    expect(report.limits).toContain(
      "CPU and memory limits are not enforced by local sandboxes here: cgroups cannot be created here (EACCES: permission denied) (run as a user who may create cgroups, or use --sandbox docker for SANDBOX_CPU_CORES and SANDBOX_MEMORY_MB)",
    );
  });
});

describe("local sandboxes off Linux", () => {
  it("say they need Linux and name the providers that work there, without probing for bubblewrap", async () => {
    const local = localSandboxBackend({
      platform: "darwin",
      bubblewrap: async () => {
        throw new Error("must not be probed");
      },
    });
    const report = await probeIsolation(config, { path: "/usr/bin:/bin", backends: { local } });
    expect(report.status).toBe("unavailable");
    expect(report.detail).toBe(
      "local sandboxes need Linux: they run every command under bubblewrap, which darwin does not have; choose --sandbox docker (Docker Desktop works), e2b or modal, or opt out explicitly with SANDBOX_PROVIDER=none",
    );
  });
});

describe("cloud sandboxes in the isolation report", () => {
  it("names a route's sandbox as a route, and a CLI harness's one reachable host", async () => {
    const routed = loadConfig({
      env: { SANDBOX_ROUTES: '[{"provides":["large"],"sandbox":"e2b"}]', WORKER_HARNESS: "pi" },
    }).config;
    expect((await probeIsolation(routed, { path: "/usr/bin:/bin" }, "e2b")).detail).toBe(
      "SANDBOX_ROUTES (sandbox e2b) needs E2B_API_KEY; set it or choose --sandbox local",
    );
    const cli = loadConfig({
      env: {
        SANDBOX_PROVIDER: "modal",
        MODAL_TOKEN_ID: "ak-1",
        MODAL_TOKEN_SECRET: "as-1",
        WORKER_HARNESS: "codex",
        GATEWAY_PUBLIC_URL: "https://gw.example.com",
      },
    }).config;
    expect((await probeIsolation(cli, { path: "/usr/bin:/bin" })).detail).toBe(
      "each task runs in a Modal sandbox, only gw.example.com (the model gateway) reachable unless asked",
    );
  });
});
