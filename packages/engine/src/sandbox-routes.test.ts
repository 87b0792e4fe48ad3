import { defaultSandboxLimits, type SandboxProvider } from "@longshot/sandbox";
import { describe, expect, it } from "vitest";
import { routeTask } from "./sandbox-routes.js";

function provider(name: string): SandboxProvider {
  return {
    name,
    create: () => Promise.reject(new Error("not used")),
    cleanOrphans: async () => [],
    close: async () => undefined,
  };
}

const local = provider("local");
const docker = provider("docker");
const modal = provider("modal");
const fallback = { sandboxes: local, limits: defaultSandboxLimits };
const routes = [
  { provides: ["network"], sandboxes: docker, limits: { network: true } },
  {
    provides: ["large", "network"],
    sandboxes: modal,
    limits: { cpuCores: 16, memoryMb: 65_536, network: true },
  },
];

describe("routeTask", () => {
  it("keeps tasks without requirements on the run's own sandbox", () => {
    expect(routeTask({ id: "t0001" }, fallback, routes)).toBe(fallback);
    expect(routeTask({ id: "t0001", requires: [] }, fallback, routes)).toBe(fallback);
  });

  it("sends a task to the first route providing every requirement, with that route's limits", () => {
    expect(routeTask({ id: "t0002", requires: ["network"] }, fallback, routes)).toEqual({
      sandboxes: docker,
      limits: { ...defaultSandboxLimits, network: true },
    });
    expect(routeTask({ id: "t0003", requires: ["large"] }, fallback, routes)).toEqual({
      sandboxes: modal,
      limits: { ...defaultSandboxLimits, cpuCores: 16, memoryMb: 65_536, network: true },
    });
  });

  it("lets the run's own sandbox provide the network when the run allows it", () => {
    const online = { sandboxes: local, limits: { ...defaultSandboxLimits, network: true } };
    expect(routeTask({ id: "t0004", requires: ["network"] }, online, routes)).toBe(online);
  });

  it("names a requirement nothing provides, and how to add a route for it", () => {
    const routed = routeTask({ id: "t0005", requires: ["network", "gpu"] }, fallback, routes);
    expect(routed).toEqual({
      problem:
        'Task t0005 requires gpu, which no sandbox route provides; add a route to SANDBOX_ROUTES, for example [{"provides":["gpu"],"sandbox":"docker","network":true}].',
    });
    expect(routeTask({ id: "t0006", requires: ["gpu"] }, fallback, [])).toHaveProperty("problem");
  });
});
