import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import type { TestProject } from "vitest/node";
import { testScopePrefix } from "./scope.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Empty when the engine is usable; otherwise why the Docker tests cannot run. */
    dockerUnavailable: string;
  }
}

const buildScript = fileURLToPath(new URL("../../../../scripts/build-worker-image.sh", import.meta.url));

/**
 * Probes the Docker engine (DOCKER_HOST honoured) and builds the worker image offline with
 * scripts/build-worker-image.sh. With LONGSHOT_REQUIRE_DOCKER=1 (CI) an unreachable engine
 * fails the run; otherwise the Docker tests skip and say why.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = process.env.LONGSHOT_REQUIRE_DOCKER === "1";
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    const reason = `Docker engine unreachable (${process.env.DOCKER_HOST ?? "/var/run/docker.sock"}): ${String(error)}`;
    if (required) throw new Error(`LONGSHOT_REQUIRE_DOCKER=1 but ${reason}`);
    process.stderr.write(`\n*** SKIPPING Docker sandbox tests: ${reason}. Start dockerd to run them. ***\n\n`);
    project.provide("dockerUnavailable", reason);
    return async () => undefined;
  }
  const build = spawnSync("bash", [buildScript], { stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    throw new Error(`scripts/build-worker-image.sh failed with exit code ${String(build.status)}`);
  }
  project.provide("dockerUnavailable", "");
  return async () => {
    // Anything a failed test left behind.
    const leftovers = await docker.listContainers({ all: true, filters: { label: ["longshot.scope"] } });
    for (const info of leftovers) {
      if (info.Labels["longshot.scope"]?.startsWith(testScopePrefix)) {
        await docker.getContainer(info.Id).remove({ force: true, v: true });
      }
    }
  };
}
