import { messageOf } from "@longshot/core";
import { diskLimits, type SandboxBackend } from "@longshot/sandbox";
import Docker from "dockerode";
import { DockerSandboxProvider } from "./docker-sandbox-provider.js";

/** Null when the engine answers and has `image`, else the sentence saying what to fix. */
export type DockerCheck = (image: string, via: string) => Promise<string | null>;

/**
 * The `docker` sandbox kind: a container per task from DOCKER_IMAGE, on the engine dockerode
 * finds (DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH). `check` replaces the engine check
 * in tests.
 */
export function dockerSandboxBackend(check: DockerCheck = dockerProblem): SandboxBackend {
  return {
    async create(setup) {
      return new DockerSandboxProvider({
        docker: new Docker(),
        image: setup.config.DOCKER_IMAGE,
        workspaceRoot: setup.workspaceRoot,
        sockets: setup.sockets,
      });
    },
    async isolation({ config, via }) {
      const problem = await check(config.DOCKER_IMAGE, via);
      if (problem !== null) return { status: "unavailable", detail: problem, limits: "" };
      return {
        status: "isolated",
        detail: `each task runs in a ${config.DOCKER_IMAGE} container: no network, no capabilities, no host paths but its own`,
        limits: `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox; ${diskLimits(config)}`,
      };
    },
    describe: (config) => `Docker sandbox (image ${config.DOCKER_IMAGE})`,
    cliFix: () =>
      "build the worker image with the CLIs (bash scripts/build-worker-image.sh --cli) and set DOCKER_IMAGE=longshot-worker-cli:latest",
  };
}

async function dockerProblem(image: string, via: string): Promise<string | null> {
  const docker = new Docker();
  try {
    await withTimeout(docker.ping(), 10_000, "the engine did not answer within 10 s");
  } catch (error) {
    return `${via} but no Docker engine answers (${messageOf(error)}); start dockerd or set DOCKER_HOST`;
  }
  try {
    await withTimeout(docker.getImage(image).inspect(), 10_000, "timed out");
    return null;
  } catch {
    return `the Docker image ${image} is missing; build it with scripts/build-worker-image.sh (offline) or docker build -t ${image} -f docker/Dockerfile docker`;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
