import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConformanceSetup } from "@longshot/sandbox/conformance";
import type Docker from "dockerode";
import { dockerIsolation } from "../docker-sandbox.js";
import { DockerSandboxProvider, type DockerSandboxProviderOptions } from "../docker-sandbox-provider.js";
import { testScope } from "./engine.js";

/** The bridge network's gateway: the test host as a container with network access sees it. */
export async function bridgeGateway(docker: Docker): Promise<string | undefined> {
  const bridge = await docker.getNetwork("bridge").inspect();
  const configs: ReadonlyArray<{ Gateway?: string | undefined }> = bridge?.IPAM?.Config ?? [];
  return configs.find((config) => config.Gateway !== undefined)?.Gateway;
}

/**
 * A conformance setup for the Docker provider: every provider it makes shares one workspace
 * root and scope (so the orphan test sees a restarted orchestrator), and `leftovers` looks for
 * the container, the host directory and any host process carrying the marker.
 */
export async function dockerConformanceSetup(
  docker: Docker,
  extra: Partial<DockerSandboxProviderOptions> = {},
): Promise<ConformanceSetup & { readonly workspaceRoot: string }> {
  const workspaceRoot = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-docker-"));
  const scope = testScope();
  const gateway = await bridgeGateway(docker);
  return {
    workspaceRoot,
    makeProvider: () => new DockerSandboxProvider({ docker, workspaceRoot, scope, ...extra }),
    isolation: dockerIsolation,
    ...(gateway === undefined ? {} : { hostAddress: gateway }),
    limits: { cpuCores: 1, memoryMb: 512 },
    leftovers: async (sandbox, { marker }) => {
      const found: string[] = [];
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`longshot.sandbox=${sandbox.id}`] },
      });
      for (const container of containers) found.push(`container ${container.Id.slice(0, 12)} (${container.State})`);
      if (existsSync(join(workspaceRoot, sandbox.id))) found.push(`directory ${join(workspaceRoot, sandbox.id)}`);
      const processes = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
      for (const line of processes.split("\n")) {
        if (line.includes(marker) && !line.includes("ps -eo")) found.push(`process ${line.trim()}`);
      }
      return found;
    },
  };
}
